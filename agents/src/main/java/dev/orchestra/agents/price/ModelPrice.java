package dev.orchestra.agents.price;

import java.math.BigDecimal;

/**
 * What a model costs, in US dollars per million tokens.
 *
 * @param inputPerMtok input tokens not served from a cache
 * @param outputPerMtok output tokens, reasoning ("thinking") tokens included
 * @param cachedInputPerMtok input tokens served from the provider's prompt cache, or {@code null}
 *     when the model has no cache discount (they then cost {@code inputPerMtok})
 */
public record ModelPrice(
    BigDecimal inputPerMtok, BigDecimal outputPerMtok, BigDecimal cachedInputPerMtok) {

  private static final int MICRO = 6;

  public ModelPrice {
    requireNonNegative("input_per_mtok", inputPerMtok);
    requireNonNegative("output_per_mtok", outputPerMtok);
    if (cachedInputPerMtok != null) {
      requireNonNegative("cached_input_per_mtok", cachedInputPerMtok);
    }
  }

  private static void requireNonNegative(String name, BigDecimal value) {
    if (value == null || value.signum() < 0) {
      throw new IllegalArgumentException(
          name + " must be a number of US dollars >= 0, was " + value);
    }
  }

  /**
   * The cost of one agent turn or attempt.
   *
   * @param inputTokens all input tokens, cached ones included (as OpenAI and Gemini count them)
   * @param cachedInputTokens the part of {@code inputTokens} served from the cache
   * @param outputTokens all output tokens, reasoning included
   * @return the exact cost in US dollars
   * @throws IllegalArgumentException when a count is negative or more tokens are cached than sent
   */
  public BigDecimal cost(long inputTokens, long cachedInputTokens, long outputTokens) {
    if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, were input="
              + inputTokens
              + " cached="
              + cachedInputTokens
              + " output="
              + outputTokens);
    }
    // A provider may report more cached tokens than input (rounding, other accounting); never
    // price a negative number of uncached tokens.
    long cached = Math.min(cachedInputTokens, inputTokens);
    BigDecimal cachedPrice = cachedInputPerMtok != null ? cachedInputPerMtok : inputPerMtok;
    return inputPerMtok
        .multiply(BigDecimal.valueOf(inputTokens - cached))
        .add(cachedPrice.multiply(BigDecimal.valueOf(cached)))
        .add(outputPerMtok.multiply(BigDecimal.valueOf(outputTokens)))
        .movePointLeft(MICRO)
        .stripTrailingZeros();
  }
}
