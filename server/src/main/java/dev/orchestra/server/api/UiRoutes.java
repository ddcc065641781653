package dev.orchestra.server.api;

import dev.orchestra.server.http.ApiException;
import dev.orchestra.web.WebUi;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The web UI's files ({@link WebUi}) at {@code /}: {@code index.html} never cached and written for
 * each answer with its own style nonce ({@link WebUi#index()}), the assets (content-hashed names)
 * cached for a year, every answer with the UI's Content-Security-Policy ({@code default-src
 * 'self'}). Registered last: it answers the GET paths no API route took, and for those under {@code
 * /api/} a JSON 404.
 */
public final class UiRoutes {
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "mjs", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon",
          "json", "application/json",
          "woff2", "font/woff2",
          "map", "application/json");

  public void register(RoutesConfig routes) {
    routes.get("/", this::file);
    routes.get("/<path>", this::file);
  }

  private void file(Context ctx) throws IOException {
    String path = ctx.path();
    if (path.startsWith(Api.V1 + "/") || path.equals(Api.V1)) {
      throw ApiException.notFound(
          "no API route "
              + ctx.method()
              + " "
              + path
              + "; GET "
              + Api.V1
              + "/openapi.json lists them");
    }
    Optional<URL> resource = WebUi.resource(path);
    if (resource.isEmpty()) {
      throw ApiException.notFound("no such page: " + path);
    }
    String name = path.endsWith("/") || path.isEmpty() ? "index.html" : path;
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header(
        "Cache-Control",
        name.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
    if (name.equals("index.html") || name.equals("/index.html")) {
      WebUi.Page page = WebUi.index();
      ctx.header("Content-Security-Policy", page.contentSecurityPolicy());
      ctx.result(page.html());
      return;
    }
    ctx.header("Content-Security-Policy", WebUi.CONTENT_SECURITY_POLICY);
    try (InputStream in = resource.get().openStream()) {
      ctx.result(in.readAllBytes());
    }
  }
}
