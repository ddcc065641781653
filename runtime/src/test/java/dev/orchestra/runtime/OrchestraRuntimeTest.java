package dev.orchestra.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.OrchestraException;
import dev.orchestra.docker.DockerNodes;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrchestraRuntimeTest {
  @TempDir Path dir;

  private final AtomicInteger dockerConnections = new AtomicInteger();

  private OrchestraRuntime runtime(FileRunStore store, Map<String, String> env) {
    return OrchestraRuntime.builder()
        .store(store)
        .baseDirectory(dir)
        .environment(env)
        .docker(
            DockerNodes.onDemand(
                () -> {
                  dockerConnections.incrementAndGet();
                  throw new OrchestraException("no Docker engine in this test");
                }))
        .build();
  }

  private Workflow workflow(String yaml) throws Exception {
    Path file = dir.resolve("workflow.yaml");
    Files.writeString(file, yaml);
    return Workflows.load(file, (Map<String, String>) null);
  }

  private static RunResult await(dev.orchestra.engine.RunHandle handle)
      throws InterruptedException {
    return handle
        .await(Duration.ofMinutes(2))
        .orElseThrow(() -> new AssertionError("the run did not end within 2 minutes"));
  }

  @Test
  void runsAWorkflowWithChecksAndRetriesRecordingInTheStoreWithoutConnectingToDocker()
      throws Exception {
    FileRunStore store = FileRunStore.under(dir);
    Workflow wf =
        workflow(
            """
            version: 1
            name: wired
            nodes:
              greet:
                agent: command
                attempts: 2
                command: |
                  if [ -f tried ]; then echo "hello $GREETING" > greeting.txt; fi
                  touch tried
                env: {GREETING: "{{ env.WHO }}"}
                checks:
                  - exists: greeting.txt
            """);
    RunResult result;
    try (OrchestraRuntime runtime = runtime(store, Map.of("WHO", "world", "PATH", path()))) {
      result = await(runtime.engine().start(wf, RunOptions.defaults()));
    }

    assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(store.attempts(result.runId(), "greet")).hasSize(2);
    assertThat(Files.readString(dir.resolve("greeting.txt"))).isEqualTo("hello world\n");
    assertThat(dockerConnections).hasValue(0);
  }

  @Test
  void resumesARunOfTheStoreThroughANewRuntime() throws Exception {
    FileRunStore store = FileRunStore.under(dir);
    Workflow wf =
        workflow(
            """
            version: 1
            name: twice
            nodes:
              first:
                agent: command
                command: echo one >> first.txt
            """);
    String runId;
    try (OrchestraRuntime runtime = runtime(store, Map.of("PATH", path()))) {
      runId = await(runtime.engine().start(wf, RunOptions.defaults())).runId();
    }
    try (OrchestraRuntime runtime = runtime(store, Map.of("PATH", path()))) {
      RunResult resumed = await(runtime.engine().resume(runId, RunOptions.defaults()));
      assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    // A succeeded node never runs again.
    assertThat(Files.readString(dir.resolve("first.txt"))).isEqualTo("one\n");
  }

  @Test
  void preflightChecksCredentialsDockerAndTheWorkspaceRepositoryWithTheWiredAdapters()
      throws Exception {
    FileRunStore store = FileRunStore.under(dir);
    Workflow wf =
        workflow(
            """
            version: 1
            name: unready
            workspace:
              repo: ./no-such-repo
              isolation: branch
            nodes:
              deploy:
                agent: command
                command: [sh, -c, "touch ran"]
                credentials: [{TOKEN: runtime-preflight-key}]
              box:
                agent: command
                command: [sh, -c, "touch ran"]
                executor: docker
                image: busybox:latest
            """);
    List<String> problems;
    try (OrchestraRuntime runtime =
        runtime(store, Map.of("ORCHESTRA_HOME", dir.resolve("home").toString(), "PATH", path()))) {
      problems =
          runtime.engine().preflight(wf, RunOptions.defaults()).problems().stream()
              .sorted(Problem.BY_POSITION)
              .map(p -> p.line() + ": " + p.message())
              .toList();
    }

    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith("4: ").contains("no-such-repo");
    assertThat(problems.get(1))
        .isEqualTo(
            "10: node 'deploy' needs credential 'runtime-preflight-key', which is neither in the"
                + " credential store nor in ORCHESTRA_CREDENTIAL_RUNTIME_PREFLIGHT_KEY");
    assertThat(problems.get(2))
        .isEqualTo("15: node 'box' cannot run: no Docker engine in this test");
    assertThat(dockerConnections).hasValue(1);
    assertThat(dir.resolve("ran")).doesNotExist();
    assertThat(store.list()).isEmpty();
  }

  private static String path() {
    return System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
  }
}
