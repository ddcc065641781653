package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agents.claude.ClaudeAgent;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.testing.AnthropicMessages;
import dev.orchestra.testing.ScriptedModelServer;
import dev.orchestra.testing.Turn;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code claude} CLI inside a locally built image ({@code orchestra-test-node}), driven by
 * the engine against the scripted model endpoint, which listens on the host's address on Docker's
 * bridge so that the container reaches it.
 */
class ClaudeInDockerIT {
  private static final String KEY = "sk-ant-docker-test-5f1e9a7c3b";

  @TempDir Path dir;
  private ScriptedModelServer server;
  private Engine engine;
  private FileRunStore store;
  private final List<String> terminal = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    DockerRuntime docker = TestDocker.runtime();
    InetAddress bridge =
        NetworkInterface.getByName("docker0")
            .inetAddresses()
            .filter(a -> a instanceof Inet4Address)
            .findFirst()
            .orElseThrow();
    server = ScriptedModelServer.start(bridge, new AnthropicMessages());
    store = FileRunStore.under(dir);
    engine =
        Engine.builder()
            .store(store)
            .baseDirectory(dir)
            .agent(new ClaudeAgent(Map.of("PATH", System.getenv("PATH")), Clock.systemUTC()))
            .nodeExecutor(ExecutorKind.DOCKER, docker::executor)
            .environment(
                Map.of(
                    "ORCHESTRA_HOME",
                    dir.resolve("orchestra-home").toString(),
                    "ORCHESTRA_CREDENTIAL_ANTHROPIC",
                    KEY))
            .build();
  }

  @AfterEach
  void tearDown() {
    engine.close();
    server.close();
  }

  @Test
  void claudeInAContainerWritesItsFileIntoTheWorkspace() throws Exception {
    server.script(
        AnthropicMessages.NAME,
        new Turn.WriteFile("hello.txt", "hi from the container\n"),
        new Turn.Text("wrote hello.txt", 100, 20));
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: claude-docker
        nodes:
          write:
            agent: claude
            prompt: write hello.txt
            endpoint: %s
            credentials: [anthropic]
            executor: docker
            image: %s
            attempts: 1
            checks: [{exists: hello.txt}]
        """
            .formatted(server.baseUrl(), TestDocker.NODE));
    Workflow wf = Workflows.load(file, (Map<String, String>) null);

    RunResult result =
        engine
            .start(wf, RunOptions.defaults().withListener(e -> terminal.add(EventJson.encode(e))))
            .await(Duration.ofMinutes(3))
            .orElseThrow(() -> new AssertionError("the run did not end within 3 minutes"));

    assertThat(result.status()).as(String.join("\n", terminal)).isEqualTo(RunStatus.SUCCEEDED);
    Path hello = dir.resolve("hello.txt");
    assertThat(hello).hasContent("hi from the container");
    assertThat(Files.getAttribute(hello, "unix:uid"))
        .isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    assertThat(result.nodes().get("write").output()).isEqualTo("wrote hello.txt");
    assertThat(server.requests(AnthropicMessages.NAME).get(0).header("x-api-key")).isEqualTo(KEY);
    assertThat(TestDocker.containersOfRun(result.runId())).isEmpty();
    try (Stream<Path> files = Files.walk(store.runDirectory(result.runId()))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as("record %s", f).doesNotContain(KEY);
      }
    }
  }
}
