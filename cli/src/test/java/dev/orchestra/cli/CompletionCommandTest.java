package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletionCommandTest {

  @Test
  void bashScriptCompletesEveryCommandAndGraphFormats() {
    CliRun run = CliRun.of("completion", "bash");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F _complete_orchestra")
        .contains("validate")
        .contains("graph")
        .contains("completion")
        .contains("(\"mermaid\" \"dot\" \"json\")");
  }

  @Test
  void zshGetsTheScriptThatLoadsBashcompinit() {
    CliRun run = CliRun.of("completion", "zsh");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("bashcompinit").contains("validate");
  }

  @Test
  void rejectsAnUnsupportedShell() {
    CliRun run = CliRun.of("completion", "fish");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'fish'").containsIgnoringCase("bash, zsh");
  }
}
