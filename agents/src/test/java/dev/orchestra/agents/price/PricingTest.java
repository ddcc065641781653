package dev.orchestra.agents.price;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Usage;
import dev.orchestra.workflow.Price;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PricingTest {

  private static final PriceTable TABLE =
      PriceTable.parse(
          "{\"models\": {\"gpt-5.5\": {\"input_per_mtok\": 5, \"cached_input_per_mtok\": 0.5,"
              + " \"output_per_mtok\": 30}}}");

  @Test
  void pricesAKnownModelFromTheTableAsAnEstimate() {
    Pricing pricing = Pricing.of("gpt-5.5", null, TABLE);

    Usage usage = pricing.usage(2_000, 1_000, 100);

    assertThat(usage.inputTokens()).isEqualTo(2_000);
    assertThat(usage.outputTokens()).isEqualTo(100);
    assertThat(usage.costUsd()).isEqualByComparingTo("0.0085");
    assertThat(usage.costEstimated()).isTrue();
    assertThat(pricing.note()).isEmpty();
  }

  @Test
  void theNodesOwnPriceWinsOverTheTable() {
    var own = new Price(BigDecimal.ONE, BigDecimal.TEN, null);

    Usage usage = Pricing.of("gpt-5.5", own, TABLE).usage(1_000_000, 0, 1_000_000);

    assertThat(usage.costUsd()).isEqualByComparingTo("11");
  }

  @Test
  void anUnknownModelCostsNothingAndSaysHowToPriceIt() {
    Pricing pricing = Pricing.of("my-local-llm", null, TABLE);

    Usage usage = pricing.usage(5_000, 0, 500);

    assertThat(usage.costUsd()).isZero();
    assertThat(usage.totalTokens()).isEqualTo(5_500);
    assertThat(pricing.known()).isFalse();
    assertThat(pricing.note())
        .hasValueSatisfying(note -> assertThat(note).contains("'my-local-llm'").contains("price:"));
  }
}
