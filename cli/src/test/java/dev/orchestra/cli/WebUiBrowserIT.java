package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.cli.browser.Chromium;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in real Chromium (playwright-core, {@code bin/install-browser}) against a real {@code
 * orchestra serve}: the jar started on port 0 with a fresh {@code ORCHESTRA_HOME}, logged in to
 * with the token it prints, as a new user would. Each test runs one script of {@code
 * web/src/test/browser/} (they wait on what the page shows, never for a time) and judges what it
 * saw and what the server recorded. The screenshots of the docs ({@code docs/images/web-*.png}) are
 * copied from {@code target/browser/web/}, where these tests leave them.
 */
class WebUiBrowserIT {
  private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(10);
  private static final Path OUT = Path.of("target/browser/web").toAbsolutePath();

  @TempDir static Path dir;
  static Chromium chromium;
  static ServeProcess serve;

  @BeforeAll
  static void start() throws Exception {
    chromium = Chromium.find();
    Files.createDirectories(OUT);
    serve = ServeProcess.start(dir.resolve("home"), dir.resolve("work"));
    serve.storeWorkflow("release", resource("release.yaml"));
    serve.storeWorkflow("notes", resource("notes.yaml"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WebUiBrowserIT.class.getResourceAsStream("web/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs {@code web/src/test/browser/SCRIPT} with {@code spec} plus the server's URL. */
  private static JsonNode browse(String script, ObjectNode spec) throws Exception {
    spec.put("url", serve.url().toString()).put("out", OUT.toString());
    Path file = Chromium.repositoryFile("web/src/test/browser/" + script);
    JsonNode seen;
    try {
      seen = chromium.run(file, spec, dir.resolve("browser"), SCRIPT_LIMIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nserver log:\n" + serve.log(), e);
    }
    assertThat(texts(seen.path("problems"))).as("console errors, page errors").isEmpty();
    return seen;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(e -> texts.add(e.isTextual() ? e.asText() : e.toString()));
    return texts;
  }

  private static ObjectNode spec() {
    return Chromium.spec().put("token", serve.adminToken());
  }

  private static Path gate(String name) throws IOException {
    return Files.createDirectories(dir.resolve("gates").resolve(name));
  }

  @Test
  void editsAHandWrittenWorkflowInTheVisualEditorChangingOnlyTheLinesItMust() throws Exception {
    String original = resource("notes.yaml");

    JsonNode seen = browse("editor.mjs", spec().put("workflow", "notes"));

    assertThat(seen.path("loginError").asText())
        .startsWith("the token is not valid (unknown or revoked)")
        .contains("orchestra tokens create");
    assertThat(seen.path("afterLogin").asText()).isEqualTo("/runs");
    assertThat(seen.path("who").asText()).isEqualTo("admin · admin");
    assertThat(seen.path("workflows").toString())
        .contains("[\"notes\",\"Draft the release notes, then review them.\"")
        .contains("[\"release\",\"Build, test and document a release");
    assertThat(seen.path("canvasFocused").asBoolean()).as("Tab reaches the canvas").isTrue();
    assertThat(seen.path("keys").toString())
        .isEqualTo(
            "[[\"Home\",\"/workflows/notes/nodes/draft\",[\"draft\"]],"
                + "[\"ArrowRight\",\"/workflows/notes/nodes/review\",[\"review\"]],"
                + "[\"ArrowLeft\",\"/workflows/notes/nodes/draft\",[\"draft\"]],"
                + "[\"End\",\"/workflows/notes/nodes/review\",[\"review\"]],"
                + "[\"Escape\",\"/workflows/notes\",[]]]");
    // One prompt edited in the form: that line changed, every comment and other byte as written.
    String promptEdited =
        original.replace(
            "    prompt: \"Review the notes\"\n", "    prompt: \"Review the notes for typos\"\n");
    assertThat(promptEdited).isNotEqualTo(original);
    assertThat(seen.path("afterPromptEdit").asText()).isEqualTo(promptEdited);
    assertThat(seen.path("added").asText()).isEqualTo("/workflows/notes/nodes/command-1");
    // The server's problem is on the node it concerns, and on its form's field.
    assertThat(texts(seen.path("badges"))).containsExactly("command-1");
    assertThat(seen.path("badge").asText()).isEqualTo("1 ⚠");
    assertThat(texts(seen.path("fieldProblem")))
        .containsExactly(
            "Agent",
            "node 'command-1' uses agent 'command' but has no 'command'; add command: [PROGRAM,"
                + " ARG…] or command: \"shell line\"");
    assertThat(seen.path("pill").asText()).isEqualTo("1 problem");
    assertThat(seen.path("saveError").asText())
        .startsWith("workflow 'notes' has 1 problem; nothing was saved")
        .contains("node 'command-1' uses agent 'command' but has no 'command'");
    assertThat(seen.path("needsChecked").asBoolean()).as("the drawn edge is a need").isTrue();
    assertThat(seen.path("badgesAfterFix").asInt()).isZero();
    assertThat(seen.path("saveErrorAfter").asInt()).isZero();
    assertThat(seen.path("yamlFragment").asText())
        .isEqualTo("/workflows/notes/nodes/command-1?view=yaml");
    assertThat(seen.path("yamlTab").asText()).contains("command: echo published");
    assertThat(seen.path("sharedCommand").asText()).isEqualTo("echo published");
    assertThat(texts(seen.path("sharedSelected"))).containsExactly("command-1");
    assertThat(seen.path("darkFragment").asText()).isEqualTo("/workflows/notes/nodes/command-1");
    assertThat(seen.path("darkBackground").asText()).isEqualTo("rgb(21, 23, 28)");

    // The one changed prompt keeps its quotes; the new node comes last, in the file's style;
    // every comment and every other byte is as it was written.
    String saved = serve.api("GET", "api/v1/workflows/notes", null).path("yaml").asText();
    String expected =
        original.replace(
                "    prompt: \"Review the notes\"\n",
                "    prompt: \"Review the notes for typos\"\n")
            + "\n"
            + "  command-1:\n"
            + "    needs: [review]\n"
            + "    agent: command\n"
            + "    command: echo published\n";
    assertThat(expected).isNotEqualTo(original + "\n");
    assertThat(saved).isEqualTo(expected);
    assertThat(OUT.resolve("editor-light.png")).isNotEmptyFile();
    assertThat(OUT.resolve("editor-dark.png")).isNotEmptyFile();
  }

  @Test
  void buildsAWorkflowFromNothingInTheEditorRunsItLiveAndRetriesItsFailedNode() throws Exception {
    Path gate = gate("build");

    JsonNode seen =
        browse("build-run.mjs", spec().put("name", "first").put("gate", gate.toString()));

    assertThat(seen.path("newFragment").asText()).isEqualTo("/workflows/new");
    // The problem shows on the node it concerns, at its field, and goes once it is fixed.
    assertThat(texts(seen.path("problemOn"))).containsExactly("command-2");
    assertThat(seen.path("problemField").asText())
        .isEqualTo(
            "node 'command-2' uses agent 'command' but has no 'command'; add command: [PROGRAM,"
                + " ARG…] or command: \"shell line\"");
    assertThat(texts(seen.path("problemsAfterFix"))).isEmpty();
    assertThat(texts(seen.path("nodes"))).containsExactly("command-1", "command-2", "command-3");
    assertThat(texts(seen.path("edges")))
        .containsExactly("command-1->command-2", "command-1->command-3");
    assertThat(seen.path("savedFragment").asText()).isEqualTo("/workflows/first/nodes/command-3");
    assertThat(seen.path("saveErrors").asInt()).isZero();

    String saved = serve.api("GET", "api/v1/workflows/first", null).path("yaml").asText();
    assertThat(saved)
        .startsWith("version: 1\nname: first\n")
        .contains("  command-2:\n    needs: [command-1]\n    agent: command\n")
        .contains("echo \"step three\"")
        .contains("name: ok file")
        .doesNotContain("position");
    JsonNode problems = serve.api("POST", "api/v1/validate", Map.of("yaml", saved));
    assertThat(problems.path("problems")).as("the saved file is valid").isEmpty();

    String run = seen.path("run").asText();
    assertThat(seen.path("whileRunning").toString())
        .as("nodes not started yet are shown")
        .isEqualTo(
            "{\"command-1\":\"running\",\"command-2\":\"pending\",\"command-3\":\"pending\"}");
    assertThat(texts(seen.path("logWhileRunning"))).containsExactly("step one started");
    assertThat(seen.path("statusWithLog").asText()).isEqualTo("running");
    assertThat(seen.path("afterFailure").toString())
        .isEqualTo(
            "{\"command-1\":\"succeeded\",\"command-2\":\"succeeded\",\"command-3\":\"failed\"}");
    assertThat(seen.path("runPillFailed").asText()).isEqualTo("failed");
    assertThat(seen.path("failedCheck").asText()).startsWith("✗ ok file\nno ok file yet");
    assertThat(texts(seen.path("buttonsWhenFailed"))).contains("Retry failed");
    assertThat(seen.path("afterRetry").toString())
        .isEqualTo(
            "{\"command-1\":\"succeeded\",\"command-2\":\"succeeded\",\"command-3\":\"succeeded\"}");
    assertThat(seen.path("runPillAfterRetry").asText()).isEqualTo("succeeded");
    assertThat(seen.path("passedCheck").asText()).startsWith("✓ ok file");

    JsonNode state = serve.api("GET", "api/v1/runs/" + run, null);
    assertThat(state.path("status").asText()).isEqualTo("succeeded");
    assertThat(state.path("workflow").asText()).isEqualTo("first");
    assertThat(OUT.resolve("build-editor.png")).isNotEmptyFile();
    assertThat(OUT.resolve("build-run-failed.png")).isNotEmptyFile();
  }

  @Test
  void runsAWorkflowFromItsFormAndFollowsItLiveThroughRetryAndApprovalToTheEnd() throws Exception {
    Path gate = gate("live");

    JsonNode seen =
        browse(
            "live-run.mjs",
            spec().put("workflow", "release").put("version", "2.4.0").put("gate", gate.toString()));

    String run = seen.path("run").asText();
    assertThat(texts(seen.path("inputs"))).containsExactly("version *", "gate *");
    assertThat(seen.path("whileBuilding").toString())
        .as("nodes not started yet are shown")
        .isEqualTo(
            "{\"build\":\"running\",\"test\":\"pending\",\"docs\":\"pending\","
                + "\"deploy\":\"pending\"}");
    assertThat(seen.path("runningColour").asText()).isEqualTo("rgb(47, 111, 235)");
    assertThat(seen.path("pendingColour").asText()).isEqualTo("rgb(152, 162, 179)");
    assertThat(seen.path("succeededColour").asText()).isEqualTo("rgb(18, 183, 106)");
    assertThat(seen.path("waitingColour").asText()).isEqualTo("rgb(234, 170, 8)");
    assertThat(seen.path("panelFragment").asText()).isEqualTo("/runs/" + run + "/nodes/build");
    // What build printed while the page was not yet open is in its log too.
    assertThat(texts(seen.path("buildLog")))
        .containsExactly("building release 2.4.0", "waiting for " + gate + "/build");
    assertThat(seen.path("testBadge").asText()).isEqualTo("×2");
    assertThat(seen.path("testBadgeTitle").asText()).isEqualTo("attempt 2");
    assertThat(texts(seen.path("attempts"))).containsExactly("1 · failed", "2 · running");
    assertThat(seen.path("failedCheck").asText())
        .isEqualTo("✗ test report\nno test report in the gate directory\nexit code 1");
    assertThat(seen.path("checksFragment").asText())
        .isEqualTo("/runs/" + run + "/nodes/test?tab=checks");
    assertThat(seen.path("beforeApproval").toString())
        .isEqualTo(
            "{\"build\":\"succeeded\",\"test\":\"succeeded\",\"docs\":\"succeeded\","
                + "\"deploy\":\"waiting_approval\"}");
    assertThat(seen.path("sharedFragment").asText())
        .isEqualTo("/runs/" + run + "/nodes/test?tab=checks");
    assertThat(seen.path("sharedTab").asText()).isEqualTo("checks");
    assertThat(seen.path("sharedCheck").asText()).isEqualTo("✓ test report\nexit code 0");
    assertThat(seen.path("darkBackground").asText()).isEqualTo("rgb(21, 23, 28)");
    assertThat(seen.path("question").asText())
        .isEqualTo("Waiting for approval. Deploy 2.4.0 to production?");
    assertThat(seen.path("final").toString())
        .isEqualTo(
            "{\"build\":\"succeeded\",\"test\":\"succeeded\",\"docs\":\"succeeded\","
                + "\"deploy\":\"succeeded\"}");
    assertThat(seen.path("runPill").asText()).isEqualTo("succeeded");
    assertThat(seen.path("totals").asText()).contains("4 succeeded");
    assertThat(texts(seen.path("deployLog"))).containsExactly("deployed");
    assertThat(seen.path("deployOutput").asText()).isEqualTo("deployed");
    assertThat(texts(seen.path("listRow"))).contains(run, "succeeded", "release", "4/4 ok");
    // The first tab fetched the run once and followed it on one event stream from its first
    // event: every change after that came from the stream.
    assertThat(seen.path("snapshotFetches").size()).isEqualTo(1);
    assertThat(texts(seen.path("streams"))).startsWith("/api/v1/runs/" + run + "/events?after=0");

    JsonNode state = serve.api("GET", "api/v1/runs/" + run, null);
    assertThat(state.path("status").asText()).isEqualTo("succeeded");
    assertThat(state.path("inputs").path("version").asText()).isEqualTo("2.4.0");
    assertThat(state.path("inputs").path("gate").asText()).isEqualTo(gate.toString());
    JsonNode deploy = node(state, "deploy");
    assertThat(deploy.path("approval").path("decision").path("verdict").asText())
        .isEqualTo("approved");
    assertThat(deploy.path("approval").path("decision").path("by").asText()).isEqualTo("admin");
    assertThat(deploy.path("approval").path("decision").path("comment").asText())
        .isEqualTo("ship it");
    assertThat(node(state, "test").path("attempt").asInt()).isEqualTo(2);
    assertThat(OUT.resolve("run-light.png")).isNotEmptyFile();
    assertThat(OUT.resolve("run-dark.png")).isNotEmptyFile();
  }

  @Test
  void drawsALargeRunZoomedOutOnOneCanvasWhereAClickOpensANode() throws Exception {
    serve.storeWorkflow("large", largeWorkflow(1000));
    String run =
        serve
            .api(
                "POST",
                "api/v1/runs",
                Map.of("workflow", "large", "inputs", Map.of("gate", gate("large").toString())))
            .path("id")
            .asText();
    try {
      JsonNode seen = browse("overview.mjs", spec().put("run", run).put("running", "n0"));

      assertThat(seen.path("canvasAtFirst").asInt()).as("node boxes when zoomed in").isZero();
      assertThat(seen.path("zoom").asDouble()).isLessThan(0.4);
      assertThat(seen.path("nodeBoxes").asInt()).isZero();
      assertThat(seen.path("edgePaths").asInt()).isZero();
      assertThat(seen.path("runningColour").asText()).isEqualTo("rgb(47, 111, 235)");
      assertThat(seen.path("pendingColour").asText()).isEqualTo("rgb(152, 162, 179)");
      String pending = seen.path("pending").asText();
      assertThat(pending).matches("n[1-9][0-9]*");
      assertThat(seen.path("clickedFragment").asText())
          .isEqualTo("/runs/" + run + "/nodes/" + pending);
      assertThat(seen.path("canvasAfterClick").asInt()).isEqualTo(1);
      assertThat(seen.path("homeFragment").asText()).isEqualTo("/runs/" + run + "/nodes/n0");
      assertThat(seen.path("selectedBox").asText()).isEqualTo("n0");
      assertThat(seen.path("canvasAfterKey").asInt()).as("zoomed in to the node boxes").isZero();
      assertThat(seen.path("boxesAfterKey").asInt()).as("the node boxes in view").isGreaterThan(1);
      assertThat(OUT.resolve("overview.png")).isNotEmptyFile();
    } finally {
      serve.api("POST", "api/v1/runs/" + run + "/cancel", null);
    }
  }

  /**
   * A workflow of {@code n} command nodes in layers of 20, each needing one or two of the layer
   * before; the first waits for a file that never comes, so the others stay pending.
   */
  private static String largeWorkflow(int n) {
    StringBuilder yaml =
        new StringBuilder(
            "version: 1\nname: large\ninputs: {gate: {required: true}}\n"
                + "defaults: {agent: command}\nnodes:\n  n0:\n"
                + "    env: {GATE: \"{{ inputs.gate }}\"}\n"
                + "    command: while [ ! -e \"$GATE/go\" ]; do sleep 1; done\n");
    for (int i = 1; i < n; i++) {
      int second = i / 20 * 20 - 20 + i * 7 % 20;
      String needs =
          i < 20 ? "n0" : "n" + (i - 20) + (i % 3 == 0 && second != i - 20 ? ", n" + second : "");
      yaml.append("  n").append(i).append(":\n    needs: [").append(needs).append("]\n");
      yaml.append("    command: echo ").append(i).append('\n');
    }
    return yaml.toString();
  }

  private static JsonNode node(JsonNode state, String id) {
    for (JsonNode n : state.path("nodes")) {
      if (n.path("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no node " + id + " in " + state);
  }

  @Test
  void cancelsARunFromTheRunView() throws Exception {
    JsonNode seen =
        browse(
            "cancel.mjs",
            spec()
                .put("workflow", "release")
                .put("version", "9.9.9")
                .put("gate", gate("cancel").toString()));

    String run = seen.path("run").asText();
    assertThat(texts(seen.path("buttonsWhileRunning"))).containsExactly("Cancel");
    assertThat(seen.path("runPill").asText()).isEqualTo("cancelled");
    assertThat(seen.path("statuses").path("build").asText()).isEqualTo("cancelled");
    assertThat(texts(seen.path("reason"))).containsExactly("run cancelled");
    assertThat(texts(seen.path("buttonsAfter"))).containsExactly("Resume");
    JsonNode state = serve.api("GET", "api/v1/runs/" + run, null);
    assertThat(state.path("status").asText()).isEqualTo("cancelled");
    assertThat(node(state, "build").path("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void showsAReadTokenWhatItMayNotDoAndTheApiErrorsPlainly() throws Exception {
    String reader = serve.createToken("reader", "read");
    String run =
        serve
            .api(
                "POST",
                "api/v1/runs",
                Map.of(
                    "workflow",
                    "release",
                    "inputs",
                    Map.of("version", "0.1", "gate", gate("read").toString())))
            .path("id")
            .asText();
    serve.api("POST", "api/v1/runs/" + run + "/cancel", null);
    serve.awaitRunFinished(run);

    JsonNode seen =
        browse(
            "access.mjs",
            Chromium.spec()
                .put("token", reader)
                .put("workflow", "release")
                .put("run", run)
                .put("missingRun", "20990101-000000-dead"));

    String why =
        "Your token has scope read: this needs a token of scope run (orchestra tokens create"
            + " NAME --scope run).";
    assertThat(seen.path("who").asText()).isEqualTo("reader · read");
    assertThat(seen.path("save").path("disabled").asBoolean()).isTrue();
    assertThat(seen.path("save").path("title").asText()).isEqualTo(why);
    assertThat(seen.path("run").asBoolean()).as("Save and run disabled").isTrue();
    assertThat(seen.path("resume").path("disabled").asBoolean()).isTrue();
    assertThat(seen.path("resume").path("title").asText()).isEqualTo(why);
    assertThat(seen.path("missing").asText())
        .isEqualTo("no run '20990101-000000-dead'; GET /api/v1/runs lists the runs");
    assertThat(seen.path("afterLogout").asText()).startsWith("/login");
    assertThat(seen.path("afterReload").asText()).isEqualTo("/login?next=/workflows");
    // Nothing the reader did reached the stored workflow.
    assertThat(serve.api("GET", "api/v1/workflows/release", null).path("yaml").asText())
        .isEqualTo(resource("release.yaml"));
  }
}
