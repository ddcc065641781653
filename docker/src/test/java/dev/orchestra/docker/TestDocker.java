package dev.orchestra.docker;

import static org.junit.jupiter.api.Assumptions.abort;

import com.github.dockerjava.api.model.Container;
import dev.orchestra.OrchestraException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine of this machine for the integration tests, and the images they use (built
 * locally by {@code docker/images/build-test-images.sh}, never pulled). A test skips, with a
 * message on stderr, only when no engine answers at all; {@code bin/test} starts one.
 */
final class TestDocker {
  static final String BUSYBOX = "orchestra-test-busybox:latest";
  static final String NODE = "orchestra-test-node:latest";

  private static DockerRuntime shared;

  private TestDocker() {}

  /** One connection for all tests of the JVM; the images built once when missing. */
  static synchronized DockerRuntime runtime() {
    if (shared == null) {
      try {
        shared = DockerRuntime.connect();
      } catch (OrchestraException e) {
        System.err.println();
        System.err.println("!!! SKIPPING DOCKER INTEGRATION TESTS: " + e.getMessage());
        System.err.println("!!! bin/test installs and starts Docker; run it as root to run them.");
        System.err.println();
        abort("no Docker engine: " + e.getMessage());
      }
      ensureImages(shared);
    }
    return shared;
  }

  private static void ensureImages(DockerRuntime docker) {
    boolean missing =
        docker.client().listImagesCmd().withImageNameFilter(BUSYBOX).exec().isEmpty()
            || docker.client().listImagesCmd().withImageNameFilter(NODE).exec().isEmpty();
    if (!missing) {
      return;
    }
    Path script = moduleDir().resolve("images/build-test-images.sh");
    try {
      Process p =
          new ProcessBuilder(script.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("building the test images failed:\n" + log);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the test images", e);
    }
  }

  /** The {@code docker} module's directory (Maven runs tests there). */
  static Path moduleDir() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("images")) ? here : here.resolve("docker");
  }

  /** Containers labelled {@code orchestra.run} (running or not) with the given run id label. */
  static List<Container> containersOfRun(String runId) {
    return runtime()
        .client()
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(java.util.Map.of(DockerRuntime.RUN, runId))
        .exec();
  }
}
