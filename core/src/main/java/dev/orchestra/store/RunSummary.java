package dev.orchestra.store;

import dev.orchestra.event.RunStatus;
import java.time.Instant;
import java.util.Comparator;

/**
 * One line of a run listing.
 *
 * @param id the run id
 * @param workflow the workflow's name
 * @param started when the run was created
 * @param status the final status from the run's result, or {@code null} when the run has no result
 *     (it is still running, or was interrupted and can be resumed); the SQL store gives the status
 *     of the run's {@code run_finished} event as soon as that is recorded, and none while a resumed
 *     session runs
 * @param active whether a process holds the run's lock now (it is running or resuming)
 */
public record RunSummary(
    String id, String workflow, Instant started, RunStatus status, boolean active) {

  /** The order of listings: the latest start first, and of runs started at once the greater id. */
  public static final Comparator<RunSummary> NEWEST_FIRST =
      Comparator.comparing(RunSummary::started).thenComparing(RunSummary::id).reversed();

  /**
   * Whether the run was interrupted (a crash, {@code kill -9}, a machine restart): it has no result
   * and no process holds it. {@code orchestra resume} continues it, and first ends the agent and
   * check processes it left running.
   */
  public boolean interrupted() {
    return status == null && !active;
  }
}
