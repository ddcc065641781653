package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs show} says what each node's containers were given, the least-privilege defaults
 * filled in, from the recorded workflow (whether or not a Docker engine ran them).
 */
class RunsShowContainersTest {
  @TempDir Path dir;

  @Test
  void showsEachContainerNodesImageLimitsCapabilitiesAndPrivileges() throws IOException {
    Path file = dir.resolve("flow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: boxed
        defaults: {agent: command, attempts: 1, executor: docker, image: orchestra-test-busybox:latest}
        nodes:
          plain: {command: "true"}
          tight:
            command: "true"
            docker: {cpus: 0.5, memory: 256m, network: none, pids_limit: 64, capabilities: []}
          here: {command: "true", executor: local}
        """);
    String runs = dir.resolve("runs").toString();
    CliRun run = CliRun.of("run", file.toString(), "--runs-dir", runs);
    String runId = RunsCommandTest.runId(run.out());

    CliRun show = CliRun.of("runs", "show", runId, "--runs-dir", runs);

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains(
            "containers:\n"
                + "  plain  orchestra-test-busybox:latest: cpus 2, memory 4g, network bridge, pids"
                + " 1024, capabilities CHOWN DAC_OVERRIDE FOWNER SETGID SETUID, no-new-privileges\n"
                + "  tight  orchestra-test-busybox:latest: cpus 0.5, memory 256m, network none,"
                + " pids 64, capabilities none, no-new-privileges\n");
  }
}
