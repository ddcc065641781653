package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.api.OpenApiRoutes;
import dev.orchestra.server.auth.Scope;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checked-in OpenAPI document against the routes the server registers. */
class OpenApiTest {
  @TempDir Path home;

  @Test
  void theDocumentNamesEveryRegisteredRouteWithItsScopeAndNoOther() throws Exception {
    JsonNode doc = TestServer.JSON.readTree(OpenApiRoutes.read());
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
        Map.Entry<String, JsonNode> op = o.next();
        documented.add(
            op.getKey().toUpperCase(Locale.ROOT)
                + " "
                + path.getKey()
                + " "
                + op.getValue().path("x-orchestra-scope").asText("?"));
      }
    }
    Set<String> registered = new TreeSet<>();
    try (TestServer t = TestServer.start(home)) {
      for (Routes.Route r : Routes.of(t.server)) {
        registered.add(
            r.method() + " " + r.path() + " " + r.scope().map(Scope::wireName).orElse("none"));
      }
      assertThat(documented).isEqualTo(registered);

      TestServer.Reply served = t.get("/api/v1/openapi.json", Scope.READ);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.json()).isEqualTo(doc);
    }
  }
}
