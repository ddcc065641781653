package dev.orchestra.engine;

import dev.orchestra.event.Usage;
import java.util.List;

/**
 * How to run one node of a planned run ({@link PlannedRuns#runNode}).
 *
 * @param spent what the pipeline counted the run's finished nodes to have spent ({@code
 *     --spent-usd}, {@code --spent-tokens}; the tokens as input tokens); {@link Usage#ZERO} when it
 *     says nothing
 * @param listeners receive the node's events as they are recorded
 */
public record NodeOptions(Usage spent, List<EventListener> listeners) {
  public NodeOptions {
    spent = spent == null ? Usage.ZERO : spent;
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
  }

  /** Nothing spent elsewhere, no listeners. */
  public static NodeOptions defaults() {
    return new NodeOptions(Usage.ZERO, List.of());
  }

  public NodeOptions withSpent(Usage spent) {
    return new NodeOptions(spent, listeners);
  }

  public NodeOptions withListener(EventListener listener) {
    List<EventListener> all = new java.util.ArrayList<>(listeners);
    all.add(listener);
    return new NodeOptions(spent, all);
  }
}
