package dev.orchestra.event;

import java.math.BigDecimal;

/**
 * Tokens and cost spent by agents.
 *
 * @param inputTokens tokens sent to the model
 * @param outputTokens tokens the model produced
 * @param costUsd cost in US dollars (an estimate where the agent's CLI does not report one)
 */
public record Usage(long inputTokens, long outputTokens, BigDecimal costUsd) {
  public static final Usage ZERO = new Usage(0, 0, BigDecimal.ZERO);

  public Usage {
    costUsd = costUsd == null ? BigDecimal.ZERO : costUsd;
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd.add(other.costUsd));
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
