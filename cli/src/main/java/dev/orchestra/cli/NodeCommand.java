package dev.orchestra.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code orchestra node exec|skip}: one node of a planned run (docs/pipeline-plan.md). */
@Command(
    name = "node",
    description = "Run or skip one node of a run planned with 'orchestra plan'.",
    subcommands = {NodeExecCommand.class, NodeSkipCommand.class})
final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    cmd.getErr().println("orchestra: error: missing a command: orchestra node exec|skip");
    cmd.usage(cmd.getErr());
    return ExitCode.INVALID;
  }
}
