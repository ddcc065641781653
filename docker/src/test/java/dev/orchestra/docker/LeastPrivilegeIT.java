package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Containers on the real engine get least privilege unless their node says otherwise: every
 * capability dropped but the five kept, no new privileges, 1,024 pids, 4 GiB; what a process in
 * them sees in {@code /proc/self/status} and its cgroup says so. An untrusted run cannot mount a
 * host path or loosen them; a trusted one can.
 */
class LeastPrivilegeIT {
  /** CHOWN (0), DAC_OVERRIDE (1), FOWNER (3), SETGID (6), SETUID (7). */
  private static final String DEFAULT_CAPS = "00000000000000cb";

  @TempDir Path dir;
  private Engine engine;

  @BeforeEach
  void setUp() {
    DockerRuntime docker = TestDocker.runtime();
    engine =
        Engine.builder()
            .store(MemoryRunStore.withScratch(dir.resolve(".orchestra")))
            .baseDirectory(dir)
            .environment(Map.of("ORCHESTRA_HOME", dir.resolve("home").toString()))
            .nodeExecutor(ExecutorKind.DOCKER, docker::executor)
            .build();
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private RunResult run(String nodes, Trust trust) throws Exception {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        "version: 1\nname: privileges\ndefaults:\n  executor: docker\n  image: "
            + TestDocker.BUSYBOX
            + "\n  agent: command\n  attempts: 1\nnodes:\n"
            + nodes);
    // Validated as trusted, so that the run itself shows what an untrusted one refuses.
    Workflow wf = Workflows.load(file, ValidationOptions.defaults().withTrust(Trust.LOCAL));
    RunResult result =
        engine
            .start(wf, RunOptions.defaults().withTrust(trust))
            .await(Duration.ofSeconds(180))
            .orElseThrow(() -> new AssertionError("the run did not end within 180 s"));
    assertThat(TestDocker.containersOfRun(result.runId())).isEmpty();
    return result;
  }

  private static NodeResult node(RunResult r, String id) {
    return r.nodes().get(id);
  }

  private static final String SHOW =
      "grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status;"
          + " cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes"
          + " 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max";

  @Test
  void aContainerKeepsFiveCapabilitiesNoNewPrivilegesAndLimitsByDefault() throws Exception {
    RunResult r =
        run(
            """
              show:
                command: ["sh", "-c", "SHOW"]
            """
                .replace("SHOW", SHOW),
            Trust.UNTRUSTED);

    assertThat(node(r, "show").status())
        .as(node(r, "show").reason())
        .isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(node(r, "show").output())
        .contains("CapBnd:\t" + DEFAULT_CAPS)
        .contains("NoNewPrivs:\t1")
        .contains("\n1024\n")
        .endsWith(String.valueOf(4L << 30));
  }

  @Test
  void aForkBombStopsAtThePidsLimit() throws Exception {
    RunResult r =
        run(
            """
              bomb:
                docker: {pids_limit: 16}
                command: ["sh", "-c", "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done 2>&1; echo tried"]
            """,
            Trust.UNTRUSTED);

    // The shell's fork past 16 processes fails and ends it (it never gets to "tried"); with it the
    // container and every process in it go.
    assertThat(node(r, "bomb").output())
        .isEqualTo("sh: can't fork: Resource temporarily unavailable");
    assertThat(node(r, "bomb").status()).isEqualTo(NodeStatus.ERROR);
  }

  @Test
  void aNodeMayTightenItsContainerInAnUntrustedRunButOnlyATrustedOneMayLoosenIt() throws Exception {
    String nodes =
        """
          tight:
            docker: {capabilities: [], pids_limit: 64, memory: 256m}
            command: ["sh", "-c", "SHOW"]
          loose:
            docker: {capabilities: [CHOWN, NET_RAW], no_new_privileges: false}
            command: ["sh", "-c", "SHOW"]
          host:
            docker: {mounts: ["/etc:/host-etc:ro"]}
            command: ["cat", "/host-etc/hostname"]
        """
            .replace("SHOW", SHOW);

    RunResult untrusted = run(nodes, Trust.UNTRUSTED);
    RunResult trusted = run(nodes, Trust.LOCAL);

    assertThat(node(untrusted, "tight").output())
        .contains("CapBnd:\t0000000000000000")
        .contains("\n64\n")
        .endsWith(String.valueOf(256L << 20));
    assertThat(node(untrusted, "loose").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(untrusted, "loose").reason())
        .isEqualTo(
            "node 'loose' asks its container to keep the capabilities NET_RAW, beyond the"
                + " default; an untrusted run's containers may keep fewer, not more; if this is"
                + " your own workflow on your own machine, run it with --trust-local");
    assertThat(node(untrusted, "host").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(node(untrusted, "host").reason())
        .startsWith(
            "docker mount '/etc:/host-etc:ro' of node 'host': the host path '/etc' is an absolute"
                + " path; it must be inside the workspace");
    // CHOWN (0) and NET_RAW (13).
    assertThat(node(trusted, "loose").output())
        .contains("CapBnd:\t0000000000002001")
        .contains("NoNewPrivs:\t0");
    assertThat(node(trusted, "host").output())
        .isEqualTo(Files.readString(Path.of("/etc/hostname")).strip());
  }
}
