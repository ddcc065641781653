package dev.orchestra.server.api;

import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.Json;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /api/v1/openapi.json}: the API's OpenAPI 3.1 document, as checked in. */
public final class OpenApiRoutes {
  /** The document's class-path resource. */
  public static final String RESOURCE = "dev/orchestra/server/openapi.json";

  private final String document = read();

  public void register(RoutesConfig routes) {
    routes.get(Api.V1 + "/openapi.json", ctx -> Json.sendRaw(ctx, 200, document), Scope.READ);
  }

  /** The document's text. */
  public static String read() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
