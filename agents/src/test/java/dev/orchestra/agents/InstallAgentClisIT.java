package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/install-agent-clis}, as {@code bin/test} calls it: the pinned Claude Code lands in the
 * cache's bin directory, and a second call, with nothing to do, prints the same directory.
 */
class InstallAgentClisIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static String run(List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 5 minutes");
    }
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void installsThePinnedClaudeOnceAndPrintsWhereItIs() throws Exception {
    String script = ROOT.resolve("bin/install-agent-clis").toString();
    String first = run(List.of(script, "--print-bin-dir", "claude"));
    Path binDir = Path.of(first.lines().reduce((a, b) -> b).orElseThrow());

    String second = run(List.of(script, "--print-bin-dir", "claude"));

    assertThat(second).isEqualTo(binDir + "\n");
    assertThat(Files.isExecutable(binDir.resolve("claude"))).isTrue();
    assertThat(run(List.of(binDir.resolve("claude").toString(), "--version")))
        .startsWith("2.1.330");
  }
}
