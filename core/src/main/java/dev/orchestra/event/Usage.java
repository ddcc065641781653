package dev.orchestra.event;

import java.math.BigDecimal;

/**
 * Tokens and cost spent by agents.
 *
 * @param inputTokens tokens sent to the model
 * @param outputTokens tokens the model produced
 * @param costUsd cost in US dollars
 * @param costEstimated whether any part of {@code costUsd} is an estimate from a price table (the
 *     agent's CLI did not report a cost), shown to users as such ({@code ~$0.12})
 */
public record Usage(
    long inputTokens, long outputTokens, BigDecimal costUsd, boolean costEstimated) {
  public static final Usage ZERO = new Usage(0, 0, BigDecimal.ZERO);

  public Usage {
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
  }

  /** A usage whose cost, if any, was reported by the agent itself. */
  public Usage(long inputTokens, long outputTokens, BigDecimal costUsd) {
    this(inputTokens, outputTokens, costUsd, false);
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd.add(other.costUsd),
        costEstimated || other.costEstimated);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
