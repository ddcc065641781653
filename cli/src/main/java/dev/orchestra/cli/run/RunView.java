package dev.orchestra.cli.run;

import dev.orchestra.engine.EventListener;
import dev.orchestra.store.RunResult;
import java.nio.file.Path;

/**
 * How {@code run} and {@code resume} show a run: receives its events as they happen (on the
 * engine's delivery thread), then the result once on the command's thread.
 */
public interface RunView extends EventListener {

  /**
   * Called once after the run ended and every event was delivered.
   *
   * @param result the run's result
   * @param records the run's records directory
   */
  void finish(RunResult result, Path records);

  /** Called when the user interrupted the run, after {@link #finish}; says how to resume it. */
  void interrupted(String runId);
}
