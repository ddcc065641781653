package dev.orchestra.agents.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Price;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTableTest {

  private static final String TABLE =
      """
      {"as_of": "2026-07", "sources": {"openai": "https://openai.com/api/pricing/"},
       "models": {
         "gpt-5": {"input_per_mtok": 1.25, "cached_input_per_mtok": 0.125, "output_per_mtok": 10},
         "gpt-5-mini": {"input_per_mtok": 0.25, "output_per_mtok": 2},
         "gpt-5.5": {"input_per_mtok": 5, "cached_input_per_mtok": 0.5, "output_per_mtok": 30}
       }}
      """;

  @Test
  void standardTableSaysWhenAndWhereItsPricesComeFrom() {
    PriceTable table = PriceTable.standard();

    assertThat(table.asOf()).matches("\\d{4}-\\d{2}");
    assertThat(table.sources()).containsKeys("openai", "google");
    assertThat(table.sources().values()).allMatch(url -> url.startsWith("https://"));
  }

  @Test
  void standardTablePricesTheDefaultModelsOfCodexAndGemini() {
    PriceTable table = PriceTable.standard();

    assertThat(table.find("gpt-5.5")).isPresent();
    assertThat(table.find("gemini-2.5-pro")).isPresent();
  }

  @Test
  void findsAModelByItsExactName() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(table.find("gpt-5-mini"))
        .contains(new Price(new BigDecimal("0.25"), new BigDecimal("2"), null));
  }

  @Test
  void findsADatedSnapshotByItsLongestListedPrefix() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(table.find("gpt-5-mini-2025-08-07")).isEqualTo(table.find("gpt-5-mini"));
    assertThat(table.find("gpt-5-2025-08-07")).isEqualTo(table.find("gpt-5"));
  }

  @Test
  void findsAGatewaysProviderSlashModelSpelling() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(table.find("openai/gpt-5.5")).isEqualTo(table.find("gpt-5.5"));
  }

  @Test
  void doesNotPriceANewerModelAsAnOlderOneThatSharesItsPrefix() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(table.find("gpt-5.9")).isEmpty();
    assertThat(table.find("gpt-50")).isEmpty();
    assertThat(table.find(null)).isEmpty();
  }

  @Test
  void costsCachedInputAtItsOwnPriceAndTheRestAtTheInputPrice() {
    PriceTable table = PriceTable.parse(TABLE);

    // 800k uncached * $5 + 200k cached * $0.50 + 100k output * $30
    assertThat(Pricing.of("gpt-5.5", null, table).usage(1_000_000, 200_000, 100_000).costUsd())
        .isEqualByComparingTo("7.1");
  }

  @Test
  void costsCachedInputAtTheInputPriceWhenThereIsNoCacheDiscount() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(Pricing.of("gpt-5-mini", null, table).usage(1_000_000, 400_000, 0).costUsd())
        .isEqualByComparingTo("0.25");
  }

  @Test
  void neverPricesMoreCachedTokensThanInputTokens() {
    PriceTable table = PriceTable.parse(TABLE);

    assertThat(Pricing.of("gpt-5.5", null, table).usage(100, 300, 0).costUsd())
        .isEqualByComparingTo("0.00005");
  }

  @Test
  void rejectsAnEntryWithoutAnOutputPriceNamingTheModel() {
    assertThatThrownBy(() -> PriceTable.parse("{\"models\": {\"m-1\": {\"input_per_mtok\": 1}}}"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("'m-1'")
        .hasMessageContaining("output_per_mtok");
  }

  @Test
  void rejectsANegativePriceNamingTheValue() {
    assertThatThrownBy(
            () ->
                PriceTable.parse(
                    "{\"models\": {\"m-1\": {\"input_per_mtok\": -1, \"output_per_mtok\": 1}}}"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("'m-1'")
        .hasMessageContaining("was -1");
  }
}
