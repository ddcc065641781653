package dev.orchestra.workflow;

import java.time.Duration;
import java.util.Map;

/**
 * Run-wide limits. Absent parts are {@code null}.
 *
 * @param concurrency nodes running at once (default: the number of CPUs)
 * @param agents per-agent caps on nodes running at once, keyed by agent name
 * @param budget spending limit for the whole run
 * @param timeout wall clock for the whole run
 */
public record Limits(
    Integer concurrency, Map<String, Integer> agents, Budget budget, Duration timeout) {
  public static final Limits NONE = new Limits(null, Map.of(), null, null);

  public Limits {
    agents = agents == null ? Map.of() : Map.copyOf(agents);
  }
}
