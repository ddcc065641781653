package dev.orchestra.cli;

import picocli.CommandLine.Command;

/** {@code orchestra reject RUN NODE}: see {@link DecisionCommand}. */
@Command(
    name = "reject",
    description = {
      "Reject a node waiting for approval: it fails and the nodes that need it are skipped.",
      "Works while 'orchestra run' runs the run in another terminal, and when no process does"
          + " (a run planned for a pipeline records the node failed at 'orchestra runs finish')."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:recorded (or rejected already)",
      "1:the records cannot be written",
      "2:refused (no such run or node, no gate, not an approver, approved already) or bad usage"
    })
final class RejectCommand extends DecisionCommand {
  @Override
  boolean approves() {
    return false;
  }
}
