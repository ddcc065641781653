package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.event.Event;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose records fill a real, small file system (a 1 MiB tmpfs mounted for the test; skipped
 * with a message where this user may not mount one): {@code orchestra run} ends with one clear
 * message and no stack trace, the records stay whole (no torn line, no half-written result) and say
 * what the terminal said, and once there is room {@code orchestra resume} finishes the run.
 */
class DiskFullIT {
  @TempDir Path dir;
  @TempDir Path disk;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    String why = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString());
    mounted = why == null;
    assumeThat(why)
        .as("mounting a 1 MiB tmpfs for the disk-full test is not permitted here, so it is skipped")
        .isNull();
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", "-l", disk.toString());
    }
  }

  @Test
  void aFullDiskStopsTheRunWithOneMessageLeavesWholeRecordsAndTheRunResumes() throws Exception {
    Path runs = disk.resolve("runs");
    // Room to give back once the disk is full, as a user would by deleting something.
    Path ballast = disk.resolve("ballast");
    Files.write(ballast, new byte[256 * 1024]);
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: disk-full
        nodes:
          fill:
            agent: command
            command: |
              if [ -e "%1$s/room" ]; then echo done; exit 0; fi
              i=0; while [ $i -lt 40000 ]; do
                echo "line $i of output that fills the disk the records are on"; i=$((i+1))
              done
              sleep 600
          after:
            needs: [fill]
            agent: command
            command: echo after
        """
            .formatted(dir));
    Map<String, String> env = Map.of("ORCHESTRA_HOME", dir.resolve("home").toString());

    String runId;
    try (OrchestraProcess run =
        OrchestraProcess.start(
            dir, env, "run", "flow.yaml", "--json", "--runs-dir", runs.toString())) {
      assertThat(run.exitCode()).isEqualTo(1);
      runId = run.recorded().get(0).run();
      String stderr = run.stderr();
      // --json prints its one summary line there too; besides it, one error and no stack trace.
      assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("[");
      assertThat(stderr.lines().filter(l -> l.contains("error")))
          .as(stderr)
          .singleElement()
          .asString()
          .startsWith(
              "orchestra: error: run " + runId + " stopped: its records could not be written")
          .contains("No space left on device")
          .endsWith("continue it with: orchestra resume " + runId);
      // What the terminal saw: the node stopped for that reason, the run with it.
      assertThat(run.events())
          .anySatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          Event.NodeFinished.class,
                          f ->
                              assertThat(f.reason())
                                  .contains("the run's records could not be written")));
    }

    Path records = runs.resolve(runId);
    assertThat(records.resolve("result.json")).doesNotExist();
    assertThat(records.resolve("result.json.tmp")).doesNotExist();
    List<String> lines = Files.readAllLines(records.resolve("events.jsonl"));
    assertThat(lines).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      assertThat(json.readTree(line).path("seq").isNumber()).as(line).isTrue();
    }
    assertThat(
            new String(Files.readAllBytes(records.resolve("events.jsonl")), StandardCharsets.UTF_8))
        .endsWith("\n");
    CliRun show = CliRun.of("runs", "show", runId, "--runs-dir", runs.toString());
    assertThat(show.out())
        .contains("status:   interrupted (no result); continue it with: orchestra resume " + runId)
        .containsPattern("fill +interrupted")
        .doesNotContain("running");

    Files.delete(ballast);
    Files.writeString(dir.resolve("room"), "");
    try (OrchestraProcess resume =
        OrchestraProcess.start(
            dir, env, "resume", runId, "--json", "--runs-dir", runs.toString())) {
      assertThat(resume.exitCode()).as(resume.stderr()).isZero();
      assertThat(resume.events())
          .anySatisfy(e -> assertThat(e).isInstanceOf(Event.RunFinished.class));
    }
    assertThat(records.resolve("result.json")).exists();
    CliRun after = CliRun.of("runs", "show", runId, "--runs-dir", runs.toString());
    assertThat(after.out()).contains("status:   succeeded");
  }

  /** Runs a command; {@code null} when it succeeded, else its output. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out.strip();
  }
}
