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
}
