package dev.orchestra.workflow;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a model costs, in US dollars per million tokens: the {@code price} node key. It overrides
 * the price table an agent adapter keeps for CLIs that report no cost of their own (Codex, Gemini),
 * so that a workflow can state its provider's actual prices.
 *
 * @param inputPerMtok USD per million input tokens not served from the provider's cache; {@code >=
 *     0}
 * @param outputPerMtok USD per million output tokens; {@code >= 0}
 * @param cachedInputPerMtok USD per million input tokens served from the cache, or {@code null}
 *     when not stated: those tokens are then charged at {@code inputPerMtok}
 */
public record Price(
    BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok) {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  public Price {
    Objects.requireNonNull(inputPerMtok, "inputPerMtok");
    Objects.requireNonNull(outputPerMtok, "outputPerMtok");
    requireNotNegative(inputPerMtok, "inputPerMtok");
    requireNotNegative(outputPerMtok, "outputPerMtok");
    if (cachedInputPerMtok != null) {
      requireNotNegative(cachedInputPerMtok, "cachedInputPerMtok");
    }
  }

  private static void requireNotNegative(BigDecimal value, String name) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value.toPlainString());
    }
  }

  /** The price of cached input tokens: {@link #cachedInputPerMtok()}, else the input price. */
  public BigDecimal cachedInputPerMtokOrInput() {
    return cachedInputPerMtok != null ? cachedInputPerMtok : inputPerMtok;
  }

  /**
   * The cost in US dollars of the given token counts, unrounded.
   *
   * @param inputTokens input tokens not served from the cache
   * @param cachedInputTokens input tokens served from the cache
   * @param outputTokens output tokens
   */
  public BigDecimal cost(long inputTokens, long cachedInputTokens, long outputTokens) {
    return inputPerMtok
        .multiply(BigDecimal.valueOf(inputTokens))
        .add(cachedInputPerMtokOrInput().multiply(BigDecimal.valueOf(cachedInputTokens)))
        .add(outputPerMtok.multiply(BigDecimal.valueOf(outputTokens)))
        .divide(MILLION);
  }
}
