package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/orchestra} with {@code executor: docker} nodes on the real Docker engine: a {@code
 * kill -9} of the Orchestra JVM leaves its container running, and the next Orchestra process that
 * runs a Docker node removes it before it starts its own.
 */
class DockerOrphansIT {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();
  private static final String LAUNCHER = ROOT.resolve("bin/orchestra").toString();
  private static final String IMAGE = "orchestra-test-busybox:latest";

  @TempDir Path dir;

  @BeforeEach
  void needDocker() throws Exception {
    if (run("docker", "info").exitValue() != 0) {
      System.err.println("!!! SKIPPING DockerOrphansIT: no Docker engine answers `docker info`;");
      System.err.println("!!! bin/test installs and starts one.");
      abort("no Docker engine");
    }
    if (run("docker", "image", "inspect", IMAGE).exitValue() != 0) {
      Process build = run(ROOT.resolve("docker/images/build-test-images.sh").toString());
      assertThat(build.exitValue()).as("building the test images").isZero();
    }
  }

  private Process run(String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tool.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 10 minutes");
    }
    return p;
  }

  private List<String> containersOfRun(String runId) throws Exception {
    Process p =
        new ProcessBuilder(
                "docker",
                "ps",
                "-a",
                "-q",
                "--filter",
                runId == null ? "label=orchestra.run" : "label=orchestra.run=" + runId)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private Path workflow(String name, String command) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        """
        version: 1
        name: %s
        defaults: {agent: command, attempts: 1, executor: docker, image: %s}
        nodes:
          work:
            command: %s
        """
            .formatted(name, IMAGE, command));
    return file;
  }

  @Test
  void theNextRunRemovesTheContainerOfAKilledOrchestra() throws Exception {
    Path hang = workflow("hang", "[\"sh\", \"-c\", \"echo waiting; exec sleep 1000\"]");
    Process p =
        new ProcessBuilder(LAUNCHER, "run", hang.toString(), "--json")
            .directory(dir.toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    CountDownLatch waiting = new CountDownLatch(1);
    List<String> runIds = new ArrayList<>();
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  RecordedEvent e = EventJson.decode(line);
                  synchronized (runIds) {
                    if (runIds.isEmpty()) {
                      runIds.add(e.run());
                    }
                  }
                  if (e.event() instanceof Event.NodeOutput o && "waiting".equals(o.text())) {
                    waiting.countDown();
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(waiting.await(2, TimeUnit.MINUTES))
        .as("the node printed from its container; stderr: %s", dir.resolve("err.txt"))
        .isTrue();
    String killedRun;
    synchronized (runIds) {
      killedRun = runIds.get(0);
    }

    // bin/orchestra execs the JVM: this is a kill -9 of Orchestra itself, mid-run.
    p.destroyForcibly();
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    reader.get(1, TimeUnit.MINUTES);
    assertThat(containersOfRun(killedRun)).as("the container outlived the killed JVM").hasSize(1);

    Process next =
        new ProcessBuilder(
                LAUNCHER, "run", workflow("next", "[\"echo\", \"fine\"]").toString(), "--json")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("next.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    assertThat(next.waitFor(3, TimeUnit.MINUTES)).isTrue();

    assertThat(next.exitValue()).as(Files.readString(dir.resolve("next.txt"))).isZero();
    assertThat(containersOfRun(killedRun)).isEmpty();
    assertThat(containersOfRun(null)).as("no container of any run is left").isEmpty();
  }
}
