package dev.orchestra.server.auth;

import dev.orchestra.server.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Runs before every matched route: a route registered with a {@link Scope} needs a token of that
 * scope or above, from {@code Authorization: Bearer TOKEN} or the session cookie {@value #COOKIE};
 * a state-changing request made with the cookie must also carry the session's CSRF token in {@value
 * #CSRF_HEADER}. Routes without a scope (health, the login itself, the UI's files) are open.
 * Answers 401 without valid credentials and 403 for a scope too small or a missing CSRF token;
 * never logs or echoes what was presented. Thread-safe.
 */
public final class Access implements Handler {
  /** The session cookie's name. */
  public static final String COOKIE = "orchestra_session";

  /** The header carrying the CSRF token of a session. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private static final String PRINCIPAL = "orchestra.principal";

  private final TokenStore tokens;
  private final Sessions sessions;

  public Access(TokenStore tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** The scope a route was registered with, or empty for an open route. */
  public static Optional<Scope> required(java.util.Set<RouteRole> roles) {
    return roles.stream().filter(Scope.class::isInstance).map(Scope.class::cast).findFirst();
  }

  @Override
  public void handle(Context ctx) {
    Optional<Scope> required = required(ctx.routeRoles());
    if (required.isEmpty()) {
      return;
    }
    Principal who = authenticate(ctx);
    if (!who.token().scope().includes(required.get())) {
      throw ApiException.forbidden(
          "scope",
          "token '"
              + who.name()
              + "' has scope "
              + who.token().scope().wireName()
              + "; "
              + ctx.method()
              + " "
              + ctx.endpoint().path
              + " needs scope "
              + required.get().wireName()
              + " (orchestra tokens create NAME --scope "
              + required.get().wireName()
              + ")");
    }
    if (who.session() && changesState(ctx.method())) {
      String sent = ctx.header(CSRF_HEADER);
      String expected = sessions.find(ctx.cookie(COOKIE)).map(Sessions.Session::csrf).orElse("");
      if (sent == null
          || !MessageDigest.isEqual(
              sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
        throw ApiException.forbidden(
            "csrf",
            "a request that changes something with the session cookie needs the header "
                + CSRF_HEADER
                + " with the csrf_token of the login (GET /api/v1/session answers it)");
      }
    }
    ctx.attribute(PRINCIPAL, who);
  }

  /** Who made the request; only on routes that need a scope. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw new IllegalStateException("no principal: the route was registered without a scope");
    }
    return p;
  }

  /**
   * The principal of {@code ctx}'s credentials.
   *
   * @throws ApiException 401 when there are none or they are not valid
   */
  public Principal authenticate(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null) {
      if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
        throw ApiException.unauthorized(
            "the Authorization header must be 'Bearer TOKEN' with a token from"
                + " orchestra tokens create");
      }
      return tokens
          .authenticate(header.substring(7).strip())
          .map(t -> new Principal(t, false))
          .orElseThrow(
              () ->
                  ApiException.unauthorized(
                      "the bearer token is not valid (unknown or revoked); create one with"
                          + " orchestra tokens create NAME --scope read|run|admin"));
    }
    String cookie = ctx.cookie(COOKIE);
    if (cookie != null) {
      Optional<Sessions.Session> session = sessions.find(cookie);
      Optional<TokenInfo> token =
          session.flatMap(
              s -> tokens.find(s.token()).filter(t -> t.created().equals(s.tokenCreated())));
      if (token.isEmpty()) {
        sessions.close(cookie);
        throw ApiException.unauthorized(
            "the session has ended (it expired, its token was revoked, or the server restarted);"
                + " log in again with POST /api/v1/session");
      }
      return new Principal(token.get(), true);
    }
    throw ApiException.unauthorized(
        "this needs an API token: send 'Authorization: Bearer TOKEN' (orchestra tokens create NAME"
            + " --scope read|run|admin) or log in with POST /api/v1/session");
  }

  private static boolean changesState(HandlerType method) {
    return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
  }
}
