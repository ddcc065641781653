package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.secret.CredentialStore;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.WorkflowParser;
import dev.orchestra.workflow.validate.Workflows;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials reach a real command's environment and never its records, events or listeners. */
class CredentialsTest {
  private static final String SECRET = "tok/9fK2+xQ7 mZ4&pL8=wR1vN6";
  private static final String ENV_SECRET = "env-secret-Hq83ZpW0";

  @TempDir Path dir;
  @TempDir Path home;
  private EngineFixture f;
  private final List<String> terminal = new ArrayList<>();

  @BeforeEach
  void setUp() {
    CredentialStore.at(home).put("deploy", SECRET);
    f =
        new EngineFixture(
            dir,
            Map.of("ORCHESTRA_HOME", home.toString(), "ORCHESTRA_CREDENTIAL_API_KEY", ENV_SECRET));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  private RunResult run(String yaml) throws Exception {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(file, yaml);
    Workflow wf = Workflows.load(file, (Map<String, String>) null);
    return f.engine
        .start(wf, RunOptions.defaults().withListener(this::print))
        .await(Duration.ofSeconds(60))
        .orElseThrow(() -> new AssertionError("the run did not end within 60 s"));
  }

  /** What {@code orchestra run --json} would print. */
  private synchronized void print(RecordedEvent e) {
    terminal.add(EventJson.encode(e));
  }

  @Test
  void exposesNamedCredentialToCommandAndMasksEveryFormEverywhere() throws Exception {
    String script =
        String.join(
            "\n",
            "printf 'plain %s\\n' \"$DEPLOY_TOKEN\"",
            "printf 'err %s\\n' \"$DEPLOY_TOKEN\" >&2",
            "printf 'b64 %s\\n' \"$(printf %s \"$DEPLOY_TOKEN\" | base64 -w0)\"",
            "printf 'b64url %s\\n' \"$(printf %s \"$DEPLOY_TOKEN\" | base64 -w0 | tr '+/' '-_' | tr -d =)\"",
            "printf 'shift1 %s\\n' \"$(printf 'x%s!' \"$DEPLOY_TOKEN\" | base64 -w0)\"",
            "printf 'shift2 %s\\n' \"$(printf 'xy%s!' \"$DEPLOY_TOKEN\" | base64 -w0)\"",
            "s=$DEPLOY_TOKEN; u=",
            "while [ -n \"$s\" ]; do c=${s%\"${s#?}\"}; s=${s#?}",
            "  case $c in [A-Za-z0-9._~-]) u=$u$c;; *) u=$u$(printf '%%%02X' \"'$c\");; esac",
            "done",
            "printf 'url %s\\n' \"$u\"",
            "printf %s \"$DEPLOY_TOKEN\" | base64 -w 12",
            "printf 'half %.8s\\n' \"$DEPLOY_TOKEN\"",
            "printf '%s end\\n' \"${DEPLOY_TOKEN#????????}\"",
            "printf 'api %s\\n' \"$API\"",
            "printf %s \"$DEPLOY_TOKEN\" > token.txt",
            "printf 'final %s' \"$DEPLOY_TOKEN\" > \"$ORCHESTRA_OUTPUT_FILE\"");
    RunResult result =
        run(
            """
            version: 1
            name: secrets
            nodes:
              deploy:
                agent: command
                command: %s
                credentials: [{DEPLOY_TOKEN: deploy}, {API: api_key}]
                checks:
                  - run: cat token.txt
                outputs:
                  token: {file: token.txt}
              after:
                needs: [deploy]
                agent: command
                prompt: "got {{ nodes.deploy.outputs.token }}"
                command: cat
            """
                .formatted(yamlString(script)));

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    // The variable reached the process: it wrote the real value into the workspace.
    assertThat(Files.readString(dir.resolve("token.txt"))).isEqualTo(SECRET);
    assertThat(result.nodes().get("deploy").output()).isEqualTo("final ****");
    assertThat(result.nodes().get("deploy").outputs()).containsEntry("token", "****");
    assertThat(result.nodes().get("after").output()).isEqualTo("got ****");

    List<String> leaks = leakedForms();
    String records = f.everythingRecorded(result.runId());
    String events;
    synchronized (this) {
      events = String.join("\n", terminal);
    }
    String stored =
        String.join("\n", f.store.events(result.runId()).stream().map(EventJson::encode).toList());
    for (String form : leaks) {
      assertThat(records).as("run records").doesNotContain(form);
      assertThat(events).as("events printed to the terminal").doesNotContain(form);
      assertThat(stored).as("stored events").doesNotContain(form);
    }
    // Masked, not dropped: every printed line is still there.
    assertThat(events)
        .contains("plain ****")
        .contains("err ****")
        .contains("b64 ****")
        .contains("b64url ****")
        .contains("url ****")
        .contains("half ****")
        .contains("**** end")
        .contains("api ****");
    assertThat(records).contains("plain ****").contains("got ****").contains("final ****");
    // The agent wrote its files outside the records; they are there now, masked, and the scratch
    // directory is gone with the run.
    Path attempt = f.store.attemptDirectory(result.runId(), "deploy", 1);
    assertThat(Files.readString(attempt.resolve("output.txt"))).isEqualTo("final ****");
    assertThat(attempt.resolve("feedback.txt"))
        .as("a first attempt's empty feedback file holds nothing: it stays out")
        .doesNotExist();
    assertThat(dir.resolve(".scratch/" + result.runId())).doesNotExist();
  }

  @Test
  void endsNodeInErrorNamingBothWaysWhenCredentialIsMissing() throws Exception {
    RunResult result =
        run(
            """
            version: 1
            name: missing
            nodes:
              n: {agent: command, command: "true", credentials: [{T: nowhere}]}
            """);

    assertThat(result.nodes().get("n").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("n").reason())
        .contains("no credential 'nowhere'")
        .contains("orchestra credentials add nowhere")
        .contains("ORCHESTRA_CREDENTIAL_NOWHERE");
  }

  @Test
  void refusesBareCredentialNameOnCommandNodeBeforeRunning() throws Exception {
    Path file = dir.resolve("bare.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: bare
        nodes:
          n: {agent: command, command: "touch ran", credentials: [deploy]}
        """);
    // Validation refuses it; the engine refuses it too for workflows that skip validation.
    assertThatThrownBy(() -> Workflows.load(file, (Map<String, String>) null))
        .hasMessageContaining("bare.yaml:4:59: error: node 'n' runs agent 'command'")
        .hasMessageContaining("{MY_TOKEN: deploy}");
    Workflow wf = WorkflowParser.create().parse(file).workflow();

    assertThatThrownBy(() -> f.engine.start(wf, RunOptions.defaults()))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("credential 'deploy' without a variable")
        .hasMessageContaining("{MY_TOKEN: deploy}");
    assertThat(dir.resolve("ran")).doesNotExist();
  }

  @Test
  void refusesToRenderACredentialVariableForAWorkflowThatSkippedValidation() throws Exception {
    Path file = dir.resolve("env.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: env
        nodes:
          n:
            agent: command
            command: [sh, -c, "cat > prompt-seen.txt"]
            prompt: "key {{ env.ORCHESTRA_CREDENTIAL_API_KEY }}"
        """);
    Workflow wf = WorkflowParser.create().parse(file).workflow();

    RunResult result =
        f.engine
            .start(wf, RunOptions.defaults())
            .await(Duration.ofSeconds(60))
            .orElseThrow(() -> new AssertionError("the run did not end within 60 s"));

    assertThat(result.nodes().get("n").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(result.nodes().get("n").reason())
        .contains("{{ env.ORCHESTRA_CREDENTIAL_API_KEY }} cannot be read")
        .contains("credentials: [{API_KEY: api_key}]")
        .doesNotContain(ENV_SECRET);
    assertThat(dir.resolve("prompt-seen.txt")).doesNotExist();
    assertThat(f.everythingRecorded(result.runId())).doesNotContain(ENV_SECRET);
  }

  /** Every form in which the script prints the secrets, as it would show unmasked. */
  private static List<String> leakedForms() {
    List<String> forms = new ArrayList<>();
    byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
    forms.add(SECRET);
    forms.add(ENV_SECRET);
    forms.add(SECRET.substring(0, 8));
    forms.add(SECRET.substring(8));
    forms.add(Base64.getEncoder().encodeToString(bytes));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    String wrapped = Base64.getEncoder().encodeToString(bytes);
    for (int i = 0; i + 12 <= wrapped.length(); i += 12) {
      forms.add(wrapped.substring(i, i + 12));
    }
    forms.add(URLEncoder.encode(SECRET, StandardCharsets.UTF_8).replace("+", "%20"));
    for (String prefix : List.of("x", "xy")) {
      String shifted =
          Base64.getEncoder()
              .encodeToString((prefix + SECRET + "!").getBytes(StandardCharsets.UTF_8));
      // Leave out the characters that also depend on the neighbouring bytes.
      forms.add(shifted.substring(3, shifted.length() - 4));
    }
    return forms;
  }

  private static String yamlString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
