package dev.orchestra.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.exec.LocalExecutor;
import dev.orchestra.workflow.CheckSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksTest {
  @TempDir Path workspace;

  private CheckContext context() {
    return context(Map.of());
  }

  private CheckContext context(Map<String, String> env) {
    return new CheckContext("run-1", "build", 1, workspace, "done", new LocalExecutor(), env);
  }

  @Test
  void existsPassesWhenEveryGlobMatches() throws Exception {
    Files.createDirectories(workspace.resolve("docs/api"));
    Files.writeString(workspace.resolve("PLAN.md"), "plan");
    Files.writeString(workspace.resolve("docs/api/index.md"), "api");

    CheckResult result = Checks.exists(List.of("PLAN.md", "docs/**/*.md")).run(context());

    assertThat(result.passed()).isTrue();
    assertThat(result.check()).isEqualTo("exists: PLAN.md, docs/**/*.md");
  }

  @Test
  void existsFailsNamingOnlyTheGlobsThatMatchedNothing() throws Exception {
    Files.writeString(workspace.resolve("PLAN.md"), "plan");

    CheckResult result =
        Checks.exists(List.of("PLAN.md", "src/**/*.java", "NOTES.md")).run(context());

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .startsWith("no file matches: src/**/*.java, NOTES.md")
        .doesNotContain("PLAN.md");
  }

  @Test
  void existsFailsOnAGlobOutsideTheWorkspaceWithoutThrowing() throws Exception {
    CheckResult result = Checks.exists("../*").run(context());

    assertThat(result.passed()).isFalse();
    assertThat(result.output()).contains("'../*'");
  }

  @Test
  void runPassesOnExitZeroInTheWorkspaceWithTheContextEnvironment() throws Exception {
    CheckResult result =
        Checks.command("echo \"$GREETING from $(pwd -P)\"", null)
            .run(context(Map.of("GREETING", "hello")));

    assertThat(result.passed()).isTrue();
    assertThat(result.check()).isEqualTo("run: echo \"$GREETING from $(pwd -P)\"");
    assertThat(result.output()).isEqualTo("hello from " + workspace.toRealPath() + "\nexit code 0");
  }

  @Test
  void runFailsWithTheOutputOfBothStreamsAndTheExitCode() throws Exception {
    CheckResult result =
        Checks.command("echo compiling; echo 'Foo.java:3: error' >&2; exit 2", null).run(context());

    assertThat(result.passed()).isFalse();
    assertThat(result.output())
        .contains("compiling")
        .contains("Foo.java:3: error")
        .endsWith("exit code 2");
  }

  @Test
  void runIsKilledAndFailsWhenItOutlivesItsTimeout() throws Exception {
    long started = System.nanoTime();
    CheckResult result =
        Checks.command("echo waiting; sleep 1000", Duration.ofMillis(300)).run(context());

    // Ended by the timeout, not by 'sleep 1000': a bound far from both.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(300));
    assertThat(result.passed()).isFalse();
    assertThat(result.output()).isEqualTo("waiting\ntimed out after 300ms (timeout)");
  }

  @Test
  void runEndsWhatTheCommandLeftRunningAndSaysSo() throws Exception {
    CheckResult result =
        Checks.command("sleep 781 >/dev/null 2>&1 & echo $! > leftover.pid", null).run(context());

    long pid = Long.parseLong(Files.readString(workspace.resolve("leftover.pid")).trim());
    assertThat(result.passed()).isTrue();
    assertThat(result.output())
        .startsWith("exit code 0\nended 1 process the check left running: " + pid + " ")
        .contains("sleep 781");
    assertThat(running(pid)).isFalse();
  }

  /** Whether {@code pid} exists and has not exited (a zombie has exited), from /proc. */
  private static boolean running(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (java.io.IOException e) {
      return false;
    }
    char state = text.charAt(text.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
  }

  @Test
  void runKeepsOnlyTheLast4KibOfOutput() throws Exception {
    CheckResult result =
        Checks.command("i=1; while [ $i -le 5000 ]; do echo \"line $i\"; i=$((i+1)); done", null)
            .run(context());

    assertThat(result.output().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(4096);
    assertThat(result.output()).endsWith("line 5000\nexit code 0").doesNotContain("line 1\n");
  }

  @Test
  void runFailsAsAValueWhenTheWorkspaceIsMissing() throws Exception {
    var missing =
        new CheckContext("r", "n", 1, workspace.resolve("gone"), "", new LocalExecutor(), Map.of());

    CheckResult result = Checks.command("true", null).run(missing);

    assertThat(result.passed()).isFalse();
    assertThat(result.output()).contains("gone");
  }

  @Test
  void fromBuildsEachKindWithTheWorkflowsName() throws Exception {
    Files.writeString(workspace.resolve("PLAN.md"), "plan");

    assertThat(Checks.from(new CheckSpec.Exists(List.of("PLAN.md"))).run(context()).passed())
        .isTrue();
    Check labelled = Checks.from(new CheckSpec.Run("exit 1", "unit tests", null, null));
    assertThat(labelled.name()).isEqualTo("unit tests");
    assertThat(labelled.run(context()).passed()).isFalse();
    assertThat(Checks.from(new CheckSpec.Junit("reports/*.xml", 1)).name())
        .isEqualTo("junit: reports/*.xml");
  }

  @Test
  void criticWithoutAnAgentToCallFailsAndSaysWhatToUseInstead() throws Exception {
    Check critic = Checks.from(new CheckSpec.Critic("claude", "Is it secure?", null));

    CheckResult result = critic.run(context());

    assertThat(result.passed()).isFalse();
    assertThat(result.check()).isEqualTo("critic (claude)");
    assertThat(result.output())
        .isEqualTo("no agent can be run for the critic here; use a run or junit check instead");
  }
}
