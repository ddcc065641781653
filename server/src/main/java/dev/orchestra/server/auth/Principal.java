package dev.orchestra.server.auth;

/**
 * Who makes a request: the token it carries, directly ({@code Authorization: Bearer}) or through a
 * browser session made with it.
 *
 * @param token the token's name and scope
 * @param session whether the request came with the session cookie (then state-changing requests
 *     must carry the session's CSRF token)
 */
public record Principal(TokenInfo token, boolean session) {
  /** The name decisions on approval gates are recorded under. */
  public String name() {
    return token.name();
  }
}
