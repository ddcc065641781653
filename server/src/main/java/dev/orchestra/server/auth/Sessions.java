package dev.orchestra.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions ({@code POST /api/v1/session}): a random session id for the HttpOnly cookie and
 * a random CSRF token that state-changing requests made with the cookie must echo in {@code
 * X-CSRF-Token}. Kept in memory: a restart of the server logs browsers out. A session lasts {@link
 * #LIFETIME} and ends early when its token is revoked (checked on every request). Thread-safe.
 */
public final class Sessions {
  /** How long a session lasts after the login. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  /**
   * One session.
   *
   * @param id the cookie's value
   * @param token the name of the token it was made with
   * @param tokenCreated when that token was created (a token revoked and made again under the same
   *     name does not revive the session)
   * @param csrf the token state-changing requests must carry
   * @param expires when it ends
   */
  public record Session(
      String id, String token, Instant tokenCreated, String csrf, Instant expires) {
    @Override
    public String toString() {
      return "Session[token=" + token + ", expires=" + expires + "]";
    }
  }

  public Sessions(Clock clock) {
    this.clock = clock;
  }

  /** Opens a session for {@code token}. */
  public Session open(TokenInfo token) {
    Session s =
        new Session(
            random(), token.name(), token.created(), random(), clock.instant().plus(LIFETIME));
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session with cookie value {@code id}, or empty (also when it expired). */
  public Optional<Session> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    if (s == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(s.expires())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Ends the session with cookie value {@code id}, if there is one. */
  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
