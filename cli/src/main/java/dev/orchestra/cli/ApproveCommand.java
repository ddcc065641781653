package dev.orchestra.cli;

import picocli.CommandLine.Command;

/** {@code orchestra approve RUN NODE}: see {@link DecisionCommand}. */
@Command(
    name = "approve",
    description = {
      "Approve a node waiting for approval: it runs.",
      "Works while 'orchestra run' runs the run in another terminal, and when no process does"
          + " (the run takes the decision up when resumed; a run planned for a pipeline, when"
          + " 'orchestra node exec' runs the node)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:recorded (or approved already)",
      "1:the records cannot be written",
      "2:refused (no such run or node, no gate, not an approver, rejected already) or bad usage"
    })
final class ApproveCommand extends DecisionCommand {
  @Override
  boolean approves() {
    return true;
  }
}
