package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static final String VALID =
      """
      version: 1
      name: ok
      nodes:
        a:
          agent: command
          command: echo a
        b:
          needs: [a]
          agent: command
          command: echo b
      """;

  @Test
  void validFileExitsZeroAndSaysOkWithNodeCount() throws IOException {
    Path file = write("ok.yaml", VALID);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(file + ": ok (2 nodes)").contains("1 file, 0 errors");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void reportsEveryProblemOfEveryFileSortedByPositionAndExits2() throws IOException {
    Path ok = write("a-ok.yaml", VALID);
    Path bad =
        write(
            "b-bad.yaml",
            """
            version: 1
            name: bad
            nodes:
              build:
                agent: command
                command: make
                timeout: 5 minutes
                attempts: three
                need: [x]
            """);
    Path missing = dir.resolve("c-missing.yaml");

    CliRun run = CliRun.of("validate", bad.toString(), missing.toString(), ok.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).contains(ok + ": ok (2 nodes)");
    List<String> lines = run.err().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).startsWith(bad + ":7:14: error: 'timeout': bad duration '5 minutes'");
    assertThat(lines.get(1))
        .isEqualTo(bad + ":8:15: error: 'attempts' must be a positive integer, was \"three\"");
    assertThat(lines.get(2))
        .isEqualTo(bad + ":9:5: error: unknown key 'need' in node 'build'; did you mean 'needs'?");
    assertThat(lines.get(3)).startsWith(missing + ": error: no such file: " + missing);
    assertThat(lines.get(4)).isEqualTo("3 files, 4 errors");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /**
   * The model's value types refuse these values when built in code; from a file each is still a
   * positioned problem, all of them in one run, and none escapes as an exception.
   */
  @Test
  void reportsEveryBadValueOfTheValueTypesAtItsPlace() throws IOException {
    Path bad =
        write(
            "values.yaml",
            """
            version: 1
            limits: {concurrency: 0, timeout: 0s}
            nodes:
              build:
                agent: command
                command: make
                attempts: 0
                timeout: 0s
                backoff: {delay: 1m, factor: 0.5, max: 5s}
                on_conflict: merge
                env: {1BAD: x, GOOD: y}
                docker: {network: host, memory: lots, mounts: [relative]}
                credentials: [{1X: gh}]
                checks: [{exists: []}, {junit: "*.xml", min_tests: 0}]
            """);

    CliRun run = CliRun.of("validate", bad.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            bad + ":2:23: error: 'concurrency' must be a positive integer, was 0",
            bad + ":2:35: error: 'timeout' must be longer than zero, was 0s",
            bad + ":7:15: error: 'attempts' must be a positive integer, was 0",
            bad + ":8:14: error: 'timeout' must be longer than zero, was 0s",
            bad + ":9:34: error: backoff 'factor' must be >= 1, was 0.5",
            bad + ":10:18: error: 'on_conflict' must be one of fail, agent; was \"merge\"",
            bad
                + ":11:11: error: environment variable name '1BAD' must match"
                + " [A-Za-z_][A-Za-z0-9_]*",
            bad + ":12:23: error: docker 'network' must be one of bridge, none; was \"host\"",
            bad + ":12:37: error: docker 'memory' must be a size such as 512m or 4g, was \"lots\"",
            bad
                + ":12:52: error: docker mount 'relative' must look like"
                + " HOST:/container/path[:ro|:rw], HOST a path in the workspace",
            bad + ":13:20: error: environment variable name '1X' must match [A-Za-z_][A-Za-z0-9_]*",
            bad + ":14:23: error: 'exists' must name at least one glob",
            bad + ":14:56: error: 'min_tests' must be a positive integer, was 0",
            "1 file, 13 errors");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void missingFileIsAClearErrorNamingItWithoutStackTrace() {
    Path missing = dir.resolve("nope.yaml");

    CliRun run = CliRun.of("validate", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(missing + ": error: no such file: " + missing)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void directoryIsAClearErrorNamingIt() {
    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(dir + ": error: " + dir + " is a directory");
  }

  @Test
  void yamlSyntaxErrorIsReportedWithItsPosition() throws IOException {
    Path file = write("broken.yaml", "version: 1\nnodes: [a\n");

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: error: ");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  /** Malformed files of many kinds, YAML and JSON: each one clear error, no stack trace. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "",
        "# only a comment\n",
        "---\n",
        "- a\n- b\n",
        "just text\n",
        "42\n",
        "version: 1\nnodes: [a\n",
        "version: 1\nnodes:\n  a: {prompt: 'open\n",
        "version: 1\nnodes:\n  a: \"open\n",
        "version: 1\nnodes:\n\ta: {prompt: p}\n",
        "version: 1\nnodes:\n  a:\n   prompt: p\n  agent: x\n",
        "version: 1\nnodes:\n  a: {prompt: p}\n  a: {prompt: q}\n",
        "version: 1\nversion: 2\nnodes: {a: {prompt: p}}\n",
        "version: 1\nnodes: {a: {prompt: p}}\n...\n---\nversion: 1\n",
        "version: 1\nnodes: {a: *missing}\n",
        "version: 1\nnodes: {a: !!binary AAAA}\n",
        "version: 1\nnodes: {? [a, b] : {prompt: p}}\n",
        "version: 1\nnodes: {a: {prompt: p}}}\n",
        "version: 1\nnodes:\n  a: {prompt: p, needs: [\n",
        "version: one\nnodes: {a: {prompt: p}}\n",
        "version: 1\nnodes: 5\n",
        "version: 1\nnodes: {}\n",
        "version: 1\nnodes: {'': {prompt: p}}\n",
        "version: 1\nnodes: {a: {prompt: p, timeout: forever}}\n",
        "version: 1\nnodes: {a: {prompt: '{{ nodes.b.output '}}\n",
        "version: 1\nnodes: {a: {prompt: p, needs: [a]}}\n",
        "version: 1\nnodes: {a: {prompt: p}}\n\u0000\n",
        "version: 1\nnodes: {a: {prompt: \"\\xZZ\"}}\n",
        "{\"version\": 1, \"nodes\": {\"a\": {\"prompt\": \"p\"}\n",
        "{\"version\": 1, \"nodes\": [1, 2]}\n",
        "[1, 2, 3]\n",
        "\ufeff\ufeffversion: 1\n",
      })
  void aMalformedFileIsOneClearErrorWithoutAStackTrace(String content) throws IOException {
    Path file = write("bad.yaml", content);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err())
        .as(content)
        .startsWith(file.toString() + ":")
        .contains(": error: ")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
  }

  @Test
  void requiresAtLeastOneFile() {
    CliRun run = CliRun.of("validate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter").contains("FILE");
  }

  @Test
  void reportsValidatorProblemsTooSuchAsCyclesAndUnknownTemplateNodes() throws IOException {
    Path file =
        write(
            "cycle.yaml",
            """
            version: 1
            name: cycle
            defaults:
              agent: command
              command: "true"
            nodes:
              a:
                needs: [b]
              b:
                needs: [a]
                prompt: "{{ nodes.zz.output }}"
            """);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(file + ":8:13: error: needs form a cycle: a -> b -> a")
        .contains(file + ":11:14: error: unknown node 'zz'")
        .contains("1 file, 2 errors");
  }

  @Test
  void refusesPathsOutsideTheWorkspaceUnlessTrustedLocally() throws IOException {
    Path file =
        write(
            "paths.yaml",
            """
            version: 1
            name: paths
            nodes:
              a:
                agent: command
                command: cat
                context: [{file: /etc/hostname}]
            """);

    CliRun strict = CliRun.of("validate", file.toString());
    CliRun trusted = CliRun.of("validate", "--trust-local", file.toString());

    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.err())
        .contains(
            file
                + ":7:22: error: context file '/etc/hostname' of node 'a' is an absolute path; it"
                + " must be relative to the workspace; if this is your own workflow on your own"
                + " machine, run it with --trust-local");
    assertThat(trusted.exitCode()).as(trusted.err()).isZero();
  }
}
