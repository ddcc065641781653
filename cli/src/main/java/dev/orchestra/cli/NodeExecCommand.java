package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.cli.pipeline.NodeResultJson;
import dev.orchestra.cli.pipeline.Stashes;
import dev.orchestra.cli.run.LineView;
import dev.orchestra.engine.NodeOptions;
import dev.orchestra.engine.NodeRun;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra node exec --run RUN --node ID}: runs exactly one node of a planned run in this
 * process, as {@code orchestra run} would run it, reading its upstream nodes' ends and outputs from
 * the records and writing its own into them (docs/pipeline-plan.md, "node exec"). Prints one line
 * per event. SIGTERM and SIGINT end the node's processes and record it {@code cancelled}.
 */
@Command(
    name = "exec",
    description = {
      "Run one node of a run planned with 'orchestra plan', in this process.",
      "Its upstream nodes' records must be in the runs directory; it writes only its own."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:succeeded (or had already)",
      "10:failed: its checks still failed after the last attempt",
      "11:error: the agent could not run or crashed",
      "12:timed out",
      "13:budget exceeded (the node's or the run's)",
      "14:skipped: an upstream node did not pass; nothing ran",
      "130:cancelled (SIGTERM, SIGINT)",
      "2:bad usage, unknown run or node, missing records, approval missing",
      "1:Orchestra itself failed"
    })
final class NodeExecCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin PlannedNodeOptions target;

  @Mixin TrustOption trust;

  @Option(
      names = "--executor",
      paramLabel = "local",
      description =
          "local: run a docker node's processes here, as the pipeline runs this inside its"
              + " container already.")
  String executor;

  @Option(
      names = "--result",
      paramLabel = "FILE",
      description = "Write the node's end here as JSON (orchestra.node-result/v1).")
  Path result;

  @Option(
      names = "--spent-usd",
      paramLabel = "X",
      description = "What the run's finished nodes cost, for the run budget.")
  BigDecimal spentUsd;

  @Option(
      names = "--spent-tokens",
      paramLabel = "N",
      description = "The tokens the run's finished nodes used, for the run budget.")
  Long spentTokens;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (executor != null && !executor.equals("local")) {
      return Pipelines.refuse(
          err,
          "--executor takes 'local' (the pipeline runs node exec in the node's container), was '"
              + executor
              + "'; leave it out to let docker nodes start their own container");
    }
    if ((spentUsd != null && spentUsd.signum() < 0) || (spentTokens != null && spentTokens < 0)) {
      return Pipelines.refuse(err, "--spent-usd and --spent-tokens must not be negative");
    }
    FileRunStore store = target.runs.store();
    Usage spent =
        new Usage(
            spentTokens == null ? 0 : spentTokens,
            0,
            spentUsd == null ? BigDecimal.ZERO : spentUsd);
    AtomicReference<RunHandle> running = new AtomicReference<>();
    AtomicReference<String> signalled = new AtomicReference<>();
    OrchestraRuntime.Builder b =
        OrchestraRuntime.builder()
            .store(store)
            .baseDirectory(Path.of(""))
            .environmentCredentialsFirst();
    if (executor != null) {
      b.dockerNodesRunHere();
    }
    try (OrchestraRuntime runtime = b.build();
        Signals signals =
            Signals.onTermination(
                name -> {
                  signalled.compareAndSet(null, name);
                  RunHandle h = running.get();
                  if (h != null) {
                    h.cancel("cancelled by " + name);
                  }
                })) {
      NodeRun run;
      try {
        RunLookup.info(store, target.runId);
        run =
            runtime
                .engine()
                .planned(trust.trust())
                .runNode(
                    target.runId,
                    target.node,
                    new NodeOptions(spent, java.util.List.of(new LineView(out, 16))));
      } catch (OrchestraException e) {
        return Pipelines.refuse(err, e.getMessage());
      }
      if (run instanceof NodeRun.Started started) {
        RunHandle handle = started.handle();
        running.set(handle);
        if (signalled.get() != null) {
          handle.cancel("cancelled by " + signalled.get());
        }
        RunResult part = handle.await();
        return ended(part.nodes().get(target.node), part, err);
      } else if (run instanceof NodeRun.Ended ended) {
        NodeResult r = ended.result();
        out.println(
            "orchestra: node '"
                + target.node
                + "' "
                + r.status().wireName()
                + (r.reason() == null ? "" : ": " + r.reason())
                + (r.status() == NodeStatus.SUCCEEDED ? " already; nothing ran" : "; nothing ran"));
        out.flush();
        return ended(r, null, err);
      } else if (run instanceof NodeRun.MissingUpstream missing) {
        String records = Pipelines.shown(store.runDirectory(target.runId));
        StringBuilder message = new StringBuilder();
        for (String up : missing.nodes()) {
          message
              .append(message.length() == 0 ? "" : "; ")
              .append("upstream node '")
              .append(up)
              .append("' has no records in ")
              .append(records)
              .append(": unstash '")
              .append(Stashes.name(target.runId, up))
              .append("' first");
        }
        return Pipelines.refuse(err, message.toString());
      } else if (run instanceof NodeRun.AwaitingApproval waiting) {
        return Pipelines.refuse(
            err,
            "node '"
                + waiting.node()
                + "' waits for approval; record the decision first with `orchestra approve "
                + target.runId
                + " "
                + waiting.node()
                + "` (or `orchestra reject ...`)");
      } else {
        return Pipelines.refuse(err, ((NodeRun.Refused) run).reason());
      }
    }
  }

  /** Writes the result file and answers the exit code of {@code r}. */
  private int ended(NodeResult r, RunResult part, PrintWriter err) {
    if (result != null) {
      try {
        Path parent = result.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".node-result-", ".tmp");
        Files.writeString(tmp, NodeResultJson.of(target.runId, r) + "\n", StandardCharsets.UTF_8);
        Files.move(
            tmp, result, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        err.println("orchestra: error: cannot write " + result + ": " + e.getMessage());
        err.flush();
        return ExitCode.FAILED;
      }
    }
    if (part != null && part.status() == RunStatus.FAILED && r.status() == NodeStatus.SUCCEEDED) {
      // The node's work is done but its records are not: nothing downstream could read them.
      err.println("orchestra: error: " + part.reason());
      err.flush();
      return ExitCode.FAILED;
    }
    return NodeExitCode.of(r.status());
  }
}
