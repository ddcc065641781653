package dev.orchestra.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.AgentLaunch;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.secret.CredentialStore;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-flight check finds everything a valid workflow lacks here, at once and in place. */
class PreflightTest {
  @TempDir Path dir;
  @TempDir Path home;
  private EngineFixture f;

  @AfterEach
  void tearDown() {
    if (f != null) {
      f.close();
    }
  }

  /** An agent whose CLI is not installed. */
  private static final Agent NOT_INSTALLED =
      new Agent() {
        @Override
        public String name() {
          return "claude";
        }

        @Override
        public AgentLaunch prepare(AgentRequest request) {
          throw new LaunchException("not installed");
        }

        @Override
        public Optional<String> unavailable(NodeSpec node) {
          return Optional.of("the claude CLI is not installed: run `npm install -g claude`");
        }
      };

  @Test
  void reportsMissingCredentialsCliExecutorAndShortCredentialsInTheFilesThatAskForThem() {
    CredentialStore.at(home).put("pin", "1234");
    f =
        new EngineFixture(
            dir,
            Map.of("ORCHESTRA_HOME", home.toString()),
            b ->
                b.preflight(
                    ExecutorKind.DOCKER,
                    node -> Optional.of("the Docker image '" + node.image() + "' is not here")),
            NOT_INSTALLED);
    f.write(
        "inner.yaml",
        """
        version: 1
        name: inner
        nodes:
          sign:
            agent: command
            command: "true"
            credentials: [{KEY: signing-key}]
        """);
    Workflow wf =
        f.workflow(
            "flow.yaml",
            """
            version: 1
            name: outer
            defaults:
              credentials: [{PIN: pin}]
            nodes:
              write:
                agent: claude
                prompt: Write it.
              box:
                agent: command
                command: "true"
                executor: docker
                image: busybox:none
              nested:
                uses: ./inner.yaml
            """);

    Preflight.Findings found = f.engine.preflight(wf, RunOptions.defaults());

    assertThat(found.problems().stream().sorted(Problem.BY_POSITION).map(this::line).toList())
        .containsExactly(
            "flow.yaml:7:5: error: node 'write': the claude CLI is not installed: run `npm install"
                + " -g claude`",
            "flow.yaml:13:5: error: node 'box' cannot run: the Docker image 'busybox:none' is not"
                + " here",
            "inner.yaml:7:19: error: node 'nested/sign' needs credential 'signing-key', which is"
                + " neither in the credential store nor in ORCHESTRA_CREDENTIAL_SIGNING_KEY; add it"
                + " with `orchestra credentials add signing-key` or set"
                + " ORCHESTRA_CREDENTIAL_SIGNING_KEY");
    Problem warning = found.warnings().get(0);
    assertThat(found.warnings()).hasSize(1);
    assertThat(dir.relativize(Path.of(warning.file())) + ":" + warning.line())
        .isEqualTo("flow.yaml:4");
    assertThat(warning.text())
        .isEqualTo(
            "credential 'pin' is 4 characters long; values shorter than 8 are not masked in output"
                + " and records");
    assertThat(f.store.list()).isEmpty();
  }

  @Test
  void findsNothingWhenEverythingIsThere() {
    f = new EngineFixture(dir, Map.of("ORCHESTRA_HOME", home.toString()));
    Workflow wf =
        f.workflow(
            "flow.yaml",
            """
            version: 1
            name: fine
            nodes:
              a: {agent: command, command: "true"}
            """);

    Preflight.Findings found = f.engine.preflight(wf, RunOptions.defaults());

    assertThat(found.problems()).isEmpty();
    assertThat(found.warnings()).isEmpty();
  }

  private String line(Problem p) {
    return dir.relativize(Path.of(p.file())) + p.toString().substring(p.file().length());
  }
}
