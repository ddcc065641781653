package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the real {@code bin/orchestra} launcher as a child process from the repository root, as a
 * user would. The jar is fresh at this point (failsafe runs after {@code package}), so the launcher
 * takes its fast path; if it were stale it would rebuild it.
 */
class LauncherIT {
  private static final Path ROOT = ExamplesTest.examplesDir().getParent();

  private record Result(int exitCode, String out, String err) {}

  private static Result launch(String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile("orchestra-out", ".txt");
    Path err = Files.createTempFile("orchestra-err", ".txt");
    try {
      Process p =
          new ProcessBuilder(concat(ROOT.resolve("bin/orchestra").toString(), args))
              .directory(ROOT.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("bin/orchestra did not finish in 5 minutes");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static List<String> concat(String first, String... rest) {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(first), java.util.Arrays.stream(rest))
        .toList();
  }

  @Test
  void printsTheVersion() throws Exception {
    Result r = launch("--version");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("orchestra 0.").contains("Java ");
  }

  @Test
  void validatesTheQuickstartExample() throws Exception {
    Result r = launch("validate", "examples/quickstart.yaml");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("examples/quickstart.yaml: ok (4 nodes)");
  }

  @Test
  void exitsTwoWithoutStackTraceForAMissingFile() throws Exception {
    Result r = launch("validate", "examples/no-such-flow.yaml");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("examples/no-such-flow.yaml: error: no such file")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }
}
