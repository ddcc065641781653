package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrchestraTest {

  @Test
  void printsVersionFromTheBuild() {
    CliRun run = CliRun.of("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("orchestra ").contains("Java 17");
    // The test classpath holds the filtered resource, so no unexpanded placeholder remains.
    assertThat(run.out()).doesNotContain("${");
  }

  @Test
  void rejectsUnknownOptionWithUsageHintAndExitCode2() {
    CliRun run = CliRun.of("validate", "--strict", "flow.yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("orchestra: error: Unknown option: '--strict'")
        .contains("Try 'orchestra validate --help' for more information.");
    assertThat(run.err()).doesNotContain("at picocli.");
  }

  @Test
  void suggestsTheClosestCommandForAMisspelledOne() {
    CliRun run = CliRun.of("valdate", "flow.yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Unmatched argument").contains("validate");
  }

  @Test
  void withoutCommandShowsUsageOnStderrAndExits2() {
    CliRun run = CliRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("missing a command").contains("Commands:").contains("validate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"validate", "graph", "completion"})
  void everyCommandHasHelp(String command) {
    CliRun run = CliRun.of(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: orchestra " + command).contains("--help");
  }

  @Test
  void acceptsDebugAfterTheCommandName() {
    CliRun run = CliRun.of("completion", "--debug", "bash");

    assertThat(run.exitCode()).isZero();
  }

  @Test
  void verboseAndDebugRaiseTheLogLevelBeforeTheFirstLogger() {
    String before = System.clearProperty(Orchestra.LOG_LEVEL_PROPERTY);
    try {
      CliRun.of("-v", "completion");
      assertThat(System.getProperty(Orchestra.LOG_LEVEL_PROPERTY)).isEqualTo("info");

      System.clearProperty(Orchestra.LOG_LEVEL_PROPERTY);
      CliRun.of("completion", "--debug");
      assertThat(System.getProperty(Orchestra.LOG_LEVEL_PROPERTY)).isEqualTo("debug");

      System.clearProperty(Orchestra.LOG_LEVEL_PROPERTY);
      CliRun.of("completion");
      assertThat(System.getProperty(Orchestra.LOG_LEVEL_PROPERTY)).isNull();
    } finally {
      if (before == null) {
        System.clearProperty(Orchestra.LOG_LEVEL_PROPERTY);
      } else {
        System.setProperty(Orchestra.LOG_LEVEL_PROPERTY, before);
      }
    }
  }
}
