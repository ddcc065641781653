package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflows with {@code executor: docker} nodes on the real engine, through the real Engine. */
class DockerExecutorIT {
  private static final String SECRET = "dk-secret-Zq81wPx3LmN7";

  @TempDir Path dir;
  private DockerRuntime docker;
  private FileRunStore store;
  private Engine engine;
  private final List<String> terminal = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    docker = TestDocker.runtime();
    store = FileRunStore.under(dir);
    engine =
        Engine.builder()
            .store(store)
            .baseDirectory(dir)
            .environment(
                Map.of(
                    "ORCHESTRA_HOME",
                    dir.resolve("home").toString(),
                    "ORCHESTRA_CREDENTIAL_API_KEY",
                    SECRET))
            .nodeExecutor(ExecutorKind.DOCKER, docker::executor)
            .build();
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private RunResult run(String nodes) throws Exception {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        "version: 1\nname: docker\ndefaults:\n  executor: docker\n  image: "
            + TestDocker.BUSYBOX
            + "\n  agent: command\n  attempts: 1\nnodes:\n"
            + nodes);
    Workflow wf = Workflows.load(file, (Map<String, String>) null);
    RunResult result =
        engine
            .start(wf, RunOptions.defaults().withListener(e -> terminal.add(EventJson.encode(e))))
            .await(Duration.ofSeconds(120))
            .orElseThrow(() -> new AssertionError("the run did not end within 120 s"));
    assertThat(TestDocker.containersOfRun(result.runId()))
        .as("containers left behind by run %s", result.runId())
        .isEmpty();
    return result;
  }

  private static NodeResult node(RunResult r, String id) {
    return r.nodes().get(id);
  }

  @Test
  void writesFilesInTheMountedWorkspaceOwnedByTheInvokingUser() throws Exception {
    RunResult r =
        run(
            """
              write:
                command: ["sh", "-c", "id -u > uid.txt; echo made > made.txt; pwd"]
                checks:
                  - exists: made.txt
            """);

    assertThat(node(r, "write").status()).as(terminal.toString()).isEqualTo(NodeStatus.SUCCEEDED);
    Path made = dir.resolve("made.txt");
    assertThat(made).hasContent("made");
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assertThat(Files.getAttribute(made, "unix:uid")).isEqualTo(uid);
    assertThat(dir.resolve("uid.txt")).hasContent(uid.toString());
    // The workspace is mounted at the same path: the container's working directory is it.
    assertThat(node(r, "write").output()).isEqualTo(dir.toRealPath().toString());
  }

  @Test
  void feedsThePromptOnStdinAndStreamsOutputLineByLine() throws Exception {
    RunResult r =
        run(
            """
              echo:
                prompt: "first line\\nsecond line"
                command: ["sh", "-c", "cat; echo to-stderr >&2"]
            """);

    assertThat(node(r, "echo").status()).as(terminal.toString()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(node(r, "echo").output()).contains("first line\nsecond line");
    assertThat(terminal)
        .anyMatch(e -> e.contains("\"stream\":\"stdout\"") && e.contains("\"text\":\"first line\""))
        .anyMatch(e -> e.contains("\"stream\":\"stderr\"") && e.contains("\"text\":\"to-stderr\""));
  }

  @Test
  void credentialReachesTheProcessEnvAndNoRecordNorAnyContainer() throws Exception {
    RunResult r =
        run(
            """
              secret:
                command: ["sh", "-c", "echo token-len ${#TOKEN}; echo $TOKEN; echo $TOKEN > token.txt"]
                credentials: [{TOKEN: api_key}]
            """);

    assertThat(node(r, "secret").status()).as(terminal.toString()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(node(r, "secret").output()).contains("token-len " + SECRET.length());
    assertThat(dir.resolve("token.txt")).hasContent(SECRET);
    assertThat(terminal).noneMatch(line -> line.contains(SECRET));
    try (Stream<Path> files = Files.walk(store.runDirectory(r.runId()))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as("record %s", f).doesNotContain(SECRET);
      }
    }
    // No container of any run remains whose `docker inspect` could show the environment.
    assertThat(
            docker.client().listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> c.getLabels() != null && c.getLabels().containsKey(DockerRuntime.RUN))
                .filter(c -> docker.owner().equals(c.getLabels().get(DockerRuntime.OWNER)))
                .toList())
        .isEmpty();
  }

  @Test
  void timeoutKillsTheContainerAndRemovesIt() throws Exception {
    long start = System.nanoTime();
    RunResult r =
        run(
            """
              hang:
                command: ["sleep", "1000"]
                timeout: 2s
            """);

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(node(r, "hang").status()).isEqualTo(NodeStatus.TIMED_OUT);
    // 2 s of timeout, then at most 5 s to stop and remove it, with room for a container start.
    assertThat(took).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void cancelStopsAndRemovesTheContainerWithinFiveSeconds() throws Exception {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: cancel
        nodes:
          hang:
            agent: command
            command: ["sh", "-c", "echo ready; exec sleep 1000"]
            executor: docker
            image: %s
        """
            .formatted(TestDocker.BUSYBOX));
    CountDownLatch ready = new CountDownLatch(1);
    RunHandle run =
        engine.start(
            Workflows.load(file, (Map<String, String>) null),
            RunOptions.defaults()
                .withListener(
                    e -> {
                      if (e.event() instanceof Event.NodeOutput o && "ready".equals(o.text())) {
                        ready.countDown();
                      }
                    }));
    assertThat(ready.await(60, TimeUnit.SECONDS)).as("the container printed ready").isTrue();
    assertThat(TestDocker.containersOfRun(run.runId())).hasSize(1);

    long cancelled = System.nanoTime();
    run.cancel();
    RunResult r = run.await(Duration.ofSeconds(30)).orElseThrow();

    assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(5));
    assertThat(node(r, "hang").status()).isEqualTo(NodeStatus.CANCELLED);
    assertThat(TestDocker.containersOfRun(r.runId())).isEmpty();
  }

  /** Not PID 1, which the kernel shields from signals it has no handler for. */
  @Test
  void namesTheSignalThatKilledTheProcess() throws Exception {
    RunResult r =
        run(
            """
              killed:
                command: ["sh", "-c", "sh -c 'kill -KILL $$'; exit $?"]
            """);

    assertThat(node(r, "killed").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "killed").reason()).contains("killed by signal 9 (SIGKILL)");
  }

  @Test
  void reportsAnOutOfMemoryKillAsOomKilled() throws Exception {
    RunResult r =
        run(
            """
              hog:
                command: ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"]
                docker: {memory: 32m}
            """);

    assertThat(node(r, "hog").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "hog").reason()).contains("OOMKilled");
  }

  @Test
  void networkNoneCannotReachAServerOnTheHostWhileBridgeCan() throws Exception {
    // The host's address on Docker's default bridge, where a bridged container reaches it.
    String gateway =
        NetworkInterface.getByName("docker0")
            .inetAddresses()
            .filter(a -> a instanceof Inet4Address)
            .findFirst()
            .orElseThrow()
            .getHostAddress();
    List<String> received = new CopyOnWriteArrayList<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByName(gateway), 0));
      Thread accept = new Thread(() -> acceptAll(server, received), "test-server");
      accept.setDaemon(true);
      accept.start();
      String probe =
          "if echo hello-from-$NAME | nc -w 3 %s %d; then echo reached; else echo unreachable; fi"
              .formatted(gateway, server.getLocalPort());
      RunResult r =
          run(
              """
                open:
                  command: ["sh", "-c", "%s"]
                  env: {NAME: open}
                closed:
                  command: ["sh", "-c", "%s"]
                  env: {NAME: closed}
                  docker: {network: none}
              """
                  .formatted(probe, probe));

      assertThat(node(r, "open").output()).as(terminal.toString()).isEqualTo("reached");
      assertThat(node(r, "closed").output()).isEqualTo("unreachable");
      assertThat(received).contains("hello-from-open").doesNotContain("hello-from-closed");
    }
  }

  @Test
  void runChecksRunInTheNodesImageUnlessTheySayLocal() throws Exception {
    RunResult r =
        run(
            """
              checked:
                command: ["true"]
                checks:
                  - run: "test -x /bin/busybox && test ! -e /usr/bin/java"
                    name: in the container
                  - run: "test ! -x /bin/busybox || test -e /usr/bin/java || test -e /usr/local/bin/java"
                    name: on the host
                    executor: local
            """);

    assertThat(node(r, "checked").status()).as(terminal.toString()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(terminal)
        .anyMatch(
            e -> e.contains("\"check\":\"in the container\"") && e.contains("\"passed\":true"))
        .anyMatch(e -> e.contains("\"check\":\"on the host\"") && e.contains("\"passed\":true"));
  }

  @Test
  void aMissingImageEndsTheNodeInAnErrorNamingIt() throws Exception {
    RunResult r =
        run(
            """
              lost:
                command: ["true"]
                image: orchestra-test-missing:none
            """);

    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(node(r, "lost").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(r, "lost").reason())
        .contains("'orchestra-test-missing:none' is not on this machine");
  }

  private static void acceptAll(ServerSocket server, List<String> received) {
    while (!server.isClosed()) {
      try (Socket s = server.accept();
          InputStream in = s.getInputStream()) {
        s.setSoTimeout(5000);
        received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        return;
      }
    }
  }
}
