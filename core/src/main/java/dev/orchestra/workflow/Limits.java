package dev.orchestra.workflow;

import java.time.Duration;
import java.util.Map;

/**
 * Run-wide limits. Absent parts are {@code null}.
 *
 * @param concurrency nodes running at once (default: the number of CPUs); {@code >= 1}
 * @param agents per-agent caps on nodes running at once, keyed by agent name; each {@code >= 1}
 * @param budget spending limit for the whole run
 * @param timeout wall clock for the whole run; longer than zero
 */
public record Limits(
    Integer concurrency, Map<String, Integer> agents, Budget budget, Duration timeout) {
  public static final Limits NONE = new Limits(null, Map.of(), null, null);

  public Limits {
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("limits concurrency must be >= 1, was " + concurrency);
    }
    agents = agents == null ? Map.of() : Map.copyOf(agents);
    agents.forEach(
        (agent, cap) -> {
          if (cap < 1) {
            throw new IllegalArgumentException(
                "the limit for agent '" + agent + "' must be >= 1, was " + cap);
          }
        });
    NodeSpec.requirePositive(timeout, "limits timeout");
  }
}
