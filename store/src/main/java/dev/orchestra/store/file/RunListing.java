package dev.orchestra.store.file;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import java.time.Duration;
import java.time.Instant;

/**
 * One run as {@code orchestra runs} lists it ({@link FileRunStore#listing()}): its summary and,
 * once it has a result, how it ended.
 *
 * @param summary its id, workflow, start, final status and whether a process holds it
 * @param ending how it ended, or {@code null} while it has no result (it is running or was
 *     interrupted: its events say how far it got)
 */
public record RunListing(RunSummary summary, Ending ending) {

  /**
   * The totals of a run's result.
   *
   * @param finished when it ended
   * @param duration from the run's creation to its end
   * @param nodes how many nodes the result has
   * @param succeeded how many of them succeeded
   * @param usage the tokens and cost of all nodes
   */
  public record Ending(Instant finished, Duration duration, int nodes, int succeeded, Usage usage) {

    /** The totals of {@code result}. */
    public static Ending of(RunResult result) {
      int succeeded = 0;
      for (NodeResult n : result.nodes().values()) {
        if (n.status() == NodeStatus.SUCCEEDED) {
          succeeded++;
        }
      }
      return new Ending(
          result.finished(), result.duration(), result.nodes().size(), succeeded, result.usage());
    }
  }
}
