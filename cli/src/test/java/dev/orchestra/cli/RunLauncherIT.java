package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.file.FileRunStore;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orchestra run} and {@code resume} as child processes, as a user or CI job runs them:
 * the quickstart to success, and a run stopped by SIGTERM, then resumed.
 */
class RunLauncherIT {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();
  private static final String LAUNCHER = ROOT.resolve("bin/orchestra").toString();

  @TempDir Path dir;

  private ProcessBuilder orchestra(String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
  }

  private static int await(Process p) throws InterruptedException {
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bin/orchestra did not finish in 3 minutes");
    }
    return p.exitValue();
  }

  @Test
  void runsTheQuickstartToSuccess() throws Exception {
    Path out = dir.resolve("out.txt");
    Process p =
        orchestra("run", ROOT.resolve("examples/quickstart.yaml").toString())
            .redirectOutput(out.toFile())
            .redirectErrorStream(true)
            .start();

    int code = await(p);

    String text = Files.readString(out);
    assertThat(code).as(text).isZero();
    assertThat(text)
        .contains("summary  check 'summary written' failed")
        .contains("summary  retrying as attempt 2")
        .contains("summary  check 'summary written' passed")
        .containsPattern("run \\S+ succeeded in .*: 4/4 nodes succeeded");
    assertThat(dir.resolve("out/quickstart/report.md")).exists();
    assertThat(dir.resolve(".orchestra/runs")).isDirectory();
  }

  @Test
  void sigtermCancelsTheRunKillsItsProcessesAndResumeFinishesIt() throws Exception {
    Path runs = dir.resolve("runs");
    Path file = dir.resolve("slow.yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: slow
        defaults: {agent: command, attempts: 1}
        nodes:
          quick:
            command: echo quick done
          slow:
            needs: [quick]
            command: |
              if [ -f DIR/marker ]; then echo finished; exit 0; fi
              echo $$ > DIR/sleep.pid
              echo waiting
              exec sleep 1000
          after:
            needs: [slow]
            command: echo after done
        """
            .replace("DIR", dir.toString()));
    Process p =
        orchestra("run", file.toString(), "--json", "--runs-dir", runs.toString())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    CountDownLatch sleeping = new CountDownLatch(1);
    List<RecordedEvent> printed = new ArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  RecordedEvent e = EventJson.decode(line);
                  synchronized (printed) {
                    printed.add(e);
                  }
                  if (e.event() instanceof Event.NodeOutput o
                      && o.node().equals("slow")
                      && "waiting".equals(o.text())) {
                    sleeping.countDown();
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(sleeping.await(2, TimeUnit.MINUTES)).as("the slow node started sleeping").isTrue();
    long sleepPid = Long.parseLong(Files.readString(dir.resolve("sleep.pid")).strip());

    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
    int code = await(p);
    reader.get(1, TimeUnit.MINUTES);

    assertThat(code).as(Files.readString(dir.resolve("err.txt"))).isEqualTo(130);
    assertThat(Files.readString(dir.resolve("err.txt"))).contains("orchestra resume ");
    Optional<ProcessHandle> sleeper = ProcessHandle.of(sleepPid);
    if (sleeper.isPresent()) {
      // It may linger a moment as a zombie until init reaps it; it must not keep running.
      sleeper.get().onExit().get(10, TimeUnit.SECONDS);
    }
    String runId;
    synchronized (printed) {
      runId = printed.get(0).run();
    }
    List<RecordedEvent> recorded = FileRunStore.at(runs).events(runId);
    assertThat(finished(recorded, "slow")).isEqualTo(NodeStatus.CANCELLED);
    assertThat(finished(recorded, "after")).isIn(NodeStatus.CANCELLED, NodeStatus.SKIPPED);
    assertThat(finished(recorded, "quick")).isEqualTo(NodeStatus.SUCCEEDED);

    Files.writeString(dir.resolve("marker"), "");
    Path out = dir.resolve("resume.txt");
    Process resume =
        orchestra("resume", runId, "--runs-dir", runs.toString())
            .redirectOutput(out.toFile())
            .redirectErrorStream(true)
            .start();
    int resumed = await(resume);

    String text = Files.readString(out);
    assertThat(resumed).as(text).isZero();
    assertThat(text).contains("slow  | finished").contains("3/3 nodes succeeded");
    assertThat(text).doesNotContain("quick  started");
  }

  private static NodeStatus finished(List<RecordedEvent> events, String node) {
    NodeStatus status = null;
    for (RecordedEvent e : events) {
      if (e.event() instanceof Event.NodeFinished f && f.node().equals(node)) {
        status = f.status();
      }
    }
    return status;
  }
}
