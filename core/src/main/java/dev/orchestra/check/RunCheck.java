package dev.orchestra.check;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.ProcessLabels;
import dev.orchestra.exec.ProcessSpec;
import dev.orchestra.exec.Tail;
import dev.orchestra.exec.Watch;
import dev.orchestra.exec.Watchdog;
import java.time.Duration;
import java.util.List;

/**
 * {@code run}: {@code sh -c COMMAND} in the workspace exits 0 within the optional timeout. The
 * output is the tail of stdout and stderr interleaved as they arrived, then the exit code or the
 * timeout.
 */
final class RunCheck implements Check {
  private final String name;
  private final String command;
  private final Duration timeout;
  private final Watchdog watchdog;

  RunCheck(String name, String command, Duration timeout, Watchdog watchdog) {
    this.name = name;
    this.command = command;
    this.timeout = timeout;
    this.watchdog = watchdog;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs the command; blocks until it ends or is killed. When interrupted, kills the command and
   * rethrows.
   */
  @Override
  public CheckResult run(CheckContext context) throws InterruptedException {
    var spec =
        new ProcessSpec(
            List.of("sh", "-c", command),
            context.workspace(),
            context.env(),
            null,
            ProcessLabels.ofCheck(context.runId(), context.nodeId(), name));
    var tail = Tail.forFeedback();
    Watch watch = watchdog.newWatch(timeout, null);
    Execution execution;
    try {
      execution =
          context.executor().start(spec, watch.listener((s, line) -> tail.appendLine(line)));
    } catch (LaunchException e) {
      return new CheckResult(name, false, e.getMessage());
    }
    ExitStatus exit;
    try {
      if (timeout != null) {
        watch.start(execution);
      }
      exit = execution.await();
    } catch (InterruptedException e) {
      execution.kill();
      throw e;
    } finally {
      watch.close();
    }
    // What a killed check had running went with it, as its verdict says; what a check that exited
    // left running is news.
    String verdict =
        watch
            .reason()
            .orElseGet(
                () ->
                    exitLine(exit)
                        + exit.endedSummary("the check").map(ended -> "\n" + ended).orElse(""));
    boolean passed = exit.succeeded() && watch.fired().isEmpty();
    return new CheckResult(name, passed, Tail.of(tail + verdict, Tail.FEEDBACK_BYTES));
  }

  private static String exitLine(ExitStatus exit) {
    String line = "exit code " + exit.code();
    return exit.detail() == null ? line : line + " (" + exit.detail() + ")";
  }
}
