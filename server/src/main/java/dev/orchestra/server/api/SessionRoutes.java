package dev.orchestra.server.api;

import dev.orchestra.server.auth.Access;
import dev.orchestra.server.auth.Principal;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.auth.Sessions;
import dev.orchestra.server.auth.TokenInfo;
import dev.orchestra.server.auth.TokenStore;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The browser's login ({@code POST /api/v1/session {"token"}}): an HttpOnly, SameSite=Strict
 * session cookie and the CSRF token; {@code GET} tells a page who it is logged in as (and the CSRF
 * token again, for a new tab); {@code DELETE} logs out.
 */
public final class SessionRoutes {
  private final TokenStore tokens;
  private final Sessions sessions;

  public SessionRoutes(TokenStore tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  public void register(RoutesConfig routes) {
    // The login itself needs no token in a header: it is how a browser gets its session.
    routes.post(Api.V1 + "/session", this::login);
    routes.get(Api.V1 + "/session", this::show, Scope.READ);
    routes.delete(Api.V1 + "/session", this::logout, Scope.READ);
  }

  private void login(Context ctx) {
    String secret = Json.text(Json.object(ctx), "token");
    if (secret == null || secret.isBlank()) {
      throw ApiException.badRequest("the body needs \"token\": an API token");
    }
    TokenInfo token =
        tokens
            .authenticate(secret.strip())
            .orElseThrow(
                () ->
                    ApiException.unauthorized(
                        "the token is not valid (unknown or revoked); create one with"
                            + " orchestra tokens create NAME --scope read|run|admin"));
    Sessions.Session s = sessions.open(token);
    Cookie cookie =
        new Cookie(
            Access.COOKIE,
            s.id(),
            "/",
            (int) Sessions.LIFETIME.toSeconds(),
            "https".equals(ctx.scheme()),
            true,
            null,
            SameSite.STRICT);
    ctx.cookie(cookie);
    Json.send(ctx, 200, body(token, s.csrf()));
  }

  private void show(Context ctx) {
    Principal who = Access.principal(ctx);
    String csrf =
        who.session()
            ? sessions.find(ctx.cookie(Access.COOKIE)).map(Sessions.Session::csrf).orElse(null)
            : null;
    Json.send(ctx, 200, body(who.token(), csrf));
  }

  private void logout(Context ctx) {
    sessions.close(ctx.cookie(Access.COOKIE));
    ctx.removeCookie(Access.COOKIE, "/");
    ctx.status(204);
  }

  private static Map<String, Object> body(TokenInfo token, String csrf) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_name", token.name());
    body.put("scope", token.scope().wireName());
    body.put("csrf_token", csrf);
    return body;
  }
}
