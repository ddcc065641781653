package dev.orchestra.agents.price;

import dev.orchestra.event.Usage;
import dev.orchestra.workflow.Price;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Prices one node's tokens for one model: the node's own {@code price} when it sets one, else the
 * {@link PriceTable}'s entry for the model, else nothing (cost 0, with a {@linkplain #note() note}
 * for the user). The resulting {@link Usage} is always marked as an estimate, because the CLIs that
 * need this report no cost of their own. Immutable and thread-safe.
 */
public final class Pricing {
  private final String model;
  private final Price price;

  private Pricing(String model, Price price) {
    this.model = model;
    this.price = price;
  }

  /**
   * How {@code model}'s tokens are priced.
   *
   * @param override the node's {@code price}, or {@code null} to use the table
   */
  public static Pricing of(String model, Price override, PriceTable table) {
    return new Pricing(model, override != null ? override : table.find(model).orElse(null));
  }

  /**
   * The usage of one turn or attempt, with its estimated cost.
   *
   * @param inputTokens all input tokens, cached ones included
   * @param cachedInputTokens the cached part of {@code inputTokens}
   * @param outputTokens all output tokens, reasoning included
   */
  public Usage usage(long inputTokens, long cachedInputTokens, long outputTokens) {
    if (inputTokens < 0 || cachedInputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, were input="
              + inputTokens
              + " cached="
              + cachedInputTokens
              + " output="
              + outputTokens);
    }
    // A provider may report more cached tokens than input (other accounting); never price a
    // negative number of uncached tokens.
    long cached = Math.min(cachedInputTokens, inputTokens);
    BigDecimal cost =
        price == null
            ? BigDecimal.ZERO
            : price.cost(inputTokens - cached, cached, outputTokens).stripTrailingZeros();
    return new Usage(inputTokens, outputTokens, cost, true);
  }

  /** Whether a price is known. */
  public boolean known() {
    return price != null;
  }

  /**
   * For an unknown model, what to tell the user once: that its cost counts as 0 and how to set a
   * price.
   */
  public Optional<String> note() {
    if (price != null) {
      return Optional.empty();
    }
    return Optional.of(
        "orchestra: no price is known for model '"
            + model
            + "', so its cost counts as $0 (budgets in usd do not limit it); set one on the node"
            + " or in defaults: price: {input_per_mtok: 1.25, output_per_mtok: 10,"
            + " cached_input_per_mtok: 0.125}");
  }
}
