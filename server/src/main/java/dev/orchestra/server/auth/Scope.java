package dev.orchestra.server.auth;

import dev.orchestra.OrchestraException;
import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API token may do, each scope including the ones below it: {@code read} (list and read
 * workflows, runs, records and events; validate), {@code run} (also save workflows, submit, cancel,
 * resume and retry runs, approve and reject), {@code admin} (also delete workflows and runs).
 */
public enum Scope implements RouteRole {
  READ,
  RUN,
  ADMIN;

  /** Whether a token of this scope may use a route that needs {@code required}. */
  public boolean includes(Scope required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case word the CLI and the API use. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The scope named {@code word}.
   *
   * @throws OrchestraException naming the word and the scopes there are
   */
  public static Scope fromWire(String word) {
    for (Scope s : values()) {
      if (s.wireName().equals(word)) {
        return s;
      }
    }
    throw new OrchestraException(
        "'"
            + word
            + "' is not a token scope; use one of "
            + Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", ")));
  }
}
