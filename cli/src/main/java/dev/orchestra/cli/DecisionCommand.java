package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.DecisionOutcome;
import dev.orchestra.engine.Engine;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.Decision;
import dev.orchestra.store.file.FileRunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra approve|reject RUN NODE [--comment TEXT] [--by USER]}: records a person's
 * decision on a node's approval gate in the run's records, whether {@code orchestra run} is running
 * the run in another terminal (it takes the decision up at once) or no process is (the run takes it
 * up when resumed; for a run planned for a pipeline, {@code node exec} when it runs the node, and
 * {@code runs finish} records a rejected node that never ran).
 *
 * <p>Exit codes: 0 when the decision is recorded, or the node had the same verdict already; 2 when
 * it is refused (no such run or node, no gate, not one of the approvers, decided otherwise already)
 * or the command line is bad; 1 when the records cannot be written.
 */
abstract class DecisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'orchestra runs').")
  String runId;

  @Parameters(
      index = "1",
      paramLabel = "NODE",
      description = "The node waiting for approval (outer/inner inside a composed workflow).")
  String node;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why; kept with the decision.")
  String comment;

  @Option(
      names = "--by",
      paramLabel = "USER",
      description =
          "Who decides, checked against the gate's approvers (default: the OS user). On the"
              + " command line this names, it does not authenticate.")
  String by;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description = "Where run records are (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  /** Whether this command approves (else it rejects). */
  abstract boolean approves();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String who = by != null ? by : System.getProperty("user.name", "");
    if (who.isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "--by must name who decides (the OS user name is unknown)");
    }
    FileRunStore store = RunsLocation.store(runsDir);
    try {
      RunLookup.info(store, runId);
    } catch (OrchestraException e) {
      return refused(err, e.getMessage());
    }
    Decision decision =
        approves()
            ? Decision.approve(who, comment, Clock.systemUTC().instant())
            : Decision.reject(who, comment, Clock.systemUTC().instant());
    DecisionOutcome outcome;
    try (Engine engine = Engine.builder().store(store).baseDirectory(Path.of("")).build()) {
      outcome = engine.decide(runId, node, decision);
    }
    if (outcome instanceof DecisionOutcome.Refused r) {
      return refused(err, r.reason());
    }
    if (outcome instanceof DecisionOutcome.Unchanged u) {
      out.println(
          "node '"
              + node
              + "' of run "
              + runId
              + " was "
              + u.decision().describe()
              + " already (at "
              + u.decision().time()
              + "); nothing changed");
    } else if (outcome instanceof DecisionOutcome.Recorded r) {
      out.println(
          "node '"
              + node
              + "' of run "
              + runId
              + " "
              + r.decision().describe()
              + "; "
              + (store.planned(runId) ? planned(r) : next(r, RunLookup.active(store, runId))));
    }
    out.flush();
    return ExitCode.OK;
  }

  /** What happens now, for the user who decided. */
  private String next(DecisionOutcome.Recorded r, boolean active) {
    if (!active) {
      return "no process runs the run now: `orchestra resume " + runId + "` takes the decision up";
    }
    String effect =
        r.decision().approved() ? "it runs" : "it fails and the nodes that need it are skipped";
    return r.status() == NodeStatus.WAITING_APPROVAL
        ? effect + " now"
        : effect + " once its needs have succeeded";
  }

  /**
   * What happens now to a node of a run planned for a pipeline, which no resume takes up: the
   * pipeline's stage runs the node ({@code node exec}), or the run's end records the rejection.
   */
  private String planned(DecisionOutcome.Recorded r) {
    String top = node.contains("/") ? node.substring(0, node.indexOf('/')) : node;
    if (r.decision().approved()) {
      return "the run was planned for a pipeline: `orchestra node exec --run "
          + runId
          + " --node "
          + top
          + "` runs the node (the Jenkins step's stage does so once its input is approved)";
    }
    return "the run was planned for a pipeline: the node fails and the nodes that need it are"
        + " skipped when `orchestra runs finish "
        + runId
        + "` ends the run (the Jenkins step does so when the node's input is aborted)";
  }

  private static int refused(PrintWriter err, String reason) {
    err.println("orchestra: error: " + reason);
    err.flush();
    return ExitCode.INVALID;
  }
}
