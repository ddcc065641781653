package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.NodeRun;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.trust.Trust;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra node skip --run RUN --node ID --reason TEXT}: records a node of a planned run as
 * {@code skipped} without running anything, when the pipeline decided so (a fork's build withholds
 * the credentials). Exit 0 recorded, 2 unknown run or node, or a node that ended already.
 */
@Command(
    name = "skip",
    description = "Record a node of a planned run as skipped, with the reason; nothing runs.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:recorded", "2:unknown run or node, the node ended already, or bad usage"})
final class NodeSkipCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PlannedNodeOptions target;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "TEXT",
      description = "Why, as the run's records and reports will show it.")
  String reason;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (reason.isBlank()) {
      return Pipelines.refuse(err, "--reason must say why the node is skipped");
    }
    FileRunStore store = target.runs.store();
    try (OrchestraRuntime runtime = Pipelines.runtime(store, false)) {
      RunLookup.info(store, target.runId);
      NodeRun r =
          runtime.engine().planned(Trust.UNTRUSTED).skipNode(target.runId, target.node, reason);
      if (r instanceof NodeRun.Refused refused) {
        return Pipelines.refuse(err, refused.reason());
      }
      out.println("node '" + target.node + "' of run " + target.runId + " skipped: " + reason);
      out.flush();
      return ExitCode.OK;
    } catch (OrchestraException e) {
      return Pipelines.refuse(err, e.getMessage());
    }
  }
}
