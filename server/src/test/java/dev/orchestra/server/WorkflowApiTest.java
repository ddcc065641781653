package dev.orchestra.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.auth.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowApiTest {
  @TempDir static Path home;
  static TestServer t;

  @BeforeAll
  static void start() {
    t = TestServer.start(home);
  }

  @AfterAll
  static void stop() {
    t.close();
  }

  private static String body(String yaml) {
    return "{\"yaml\": " + TestServer.quoted(yaml) + "}";
  }

  @Test
  void savesListsReadsAndDeletesAWorkflowByItsName() {
    String yaml = "# my comment\n" + Workflows.pair("greet");
    TestServer.Reply saved = t.put("/api/v1/workflows/greet", Scope.RUN, body(yaml));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(saved.json().get("problems")).isEmpty();

    JsonNode list = t.get("/api/v1/workflows", Scope.READ).json().get("workflows");
    assertThat(list)
        .anySatisfy(
            w -> {
              assertThat(w.get("name").asText()).isEqualTo("greet");
              assertThat(w.get("problems_count").asInt()).isZero();
            });
    JsonNode got = t.get("/api/v1/workflows/greet", Scope.READ).json();
    assertThat(got.get("yaml").asText()).isEqualTo(yaml);

    JsonNode library = t.get("/api/v1/library", Scope.READ).json().get("agents");
    assertThat(library)
        .anySatisfy(
            a -> {
              assertThat(a.get("name").asText()).isEqualTo("greet");
              assertThat(a.get("uses").asText()).isEqualTo("./greet.yaml");
              assertThat(a.at("/inputs/word/default").asText()).isEqualTo("hello");
            });

    assertThat(t.delete("/api/v1/workflows/greet", Scope.ADMIN).status()).isEqualTo(204);
    assertThat(t.get("/api/v1/workflows/greet", Scope.READ).status()).isEqualTo(404);
    assertThat(t.delete("/api/v1/workflows/greet", Scope.ADMIN).status()).isEqualTo(404);
  }

  @Test
  void anInvalidWorkflowIsRefusedWithPositionedProblemsAndNothingIsSaved() {
    String yaml =
        "version: 1\nname: broken\nnodes:\n  a:\n    agent: command\n    command: [true]\n"
            + "  b:\n    needs: [aa]\n    agnet: command\n";
    TestServer.Reply r = t.put("/api/v1/workflows/broken", Scope.RUN, body(yaml));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    JsonNode error = r.json().get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid");
    assertThat(error.get("message").asText()).contains("nothing was saved");
    assertThat(error.get("problems"))
        .anySatisfy(
            p -> {
              assertThat(p.get("file").isNull()).isTrue();
              assertThat(p.get("line").asInt()).isEqualTo(8);
              assertThat(p.get("column").asInt()).isPositive();
              assertThat(p.get("message").asText()).contains("aa");
            })
        .anySatisfy(
            p -> {
              assertThat(p.get("line").asInt()).isEqualTo(9);
              assertThat(p.get("hint").asText()).contains("agent");
            });
    assertThat(Files.exists(home.resolve("workflows/broken.yaml"))).isFalse();
    assertThat(t.get("/api/v1/workflows/broken", Scope.READ).status()).isEqualTo(404);
  }

  @Test
  void aWorkflowIsSavedOnlyUnderItsOwnName() {
    TestServer.Reply r = t.put("/api/v1/workflows/other", Scope.RUN, body(Workflows.pair("greet")));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().at("/error/problems/0/message").asText()).contains("named 'greet'");
    assertThat(r.json().at("/error/problems/0/line").asInt()).isEqualTo(2);
  }

  @Test
  void validatesATextWithoutSavingItAndNamesProblemsOfComposedFilesByTheirUsesPath() {
    assertThat(
            t.put(
                    "/api/v1/workflows/inner",
                    Scope.RUN,
                    body(
                        "version: 1\nname: inner\nnodes:\n  x:\n    agent: command\n    command: [true]\n"))
                .status())
        .isEqualTo(200);
    TestServer.Reply ok =
        t.post(
            "/api/v1/validate",
            Scope.READ,
            body("version: 1\nname: outer\nnodes:\n  i:\n    uses: ./inner.yaml\n"));
    assertThat(ok.json().get("problems")).as(ok.toString()).isEmpty();
    TestServer.Reply missing =
        t.post(
            "/api/v1/validate",
            Scope.READ,
            body("version: 1\nname: outer\nnodes:\n  i:\n    uses: ./nope.yaml\n"));
    assertThat(missing.status()).isEqualTo(200);
    assertThat(missing.json().get("problems")).isNotEmpty();
    assertThat(missing.json().at("/problems/0/line").asInt()).isEqualTo(5);
    assertThat(Files.exists(home.resolve("workflows/outer.yaml"))).isFalse();
  }

  @Test
  void badBodiesGetClearJsonErrors() {
    TestServer.Reply notJson = t.post("/api/v1/validate", Scope.READ, "{\"yaml\": ");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().at("/error/message").asText()).contains("not valid JSON");
    TestServer.Reply noYaml = t.post("/api/v1/validate", Scope.READ, "{\"text\": \"x\"}");
    assertThat(noYaml.status()).isEqualTo(400);
    assertThat(noYaml.json().at("/error/message").asText()).contains("\"yaml\"");
    TestServer.Reply badName = t.get("/api/v1/workflows/Bad.Name", Scope.READ);
    assertThat(badName.status()).isEqualTo(400);
    String huge = "{\"yaml\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    TestServer.Reply tooLarge = t.put("/api/v1/workflows/huge", Scope.RUN, huge);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.json().at("/error/code").asText()).isEqualTo("too_large");
    assertThat(Files.exists(home.resolve("workflows/huge.yaml"))).isFalse();
  }
}
