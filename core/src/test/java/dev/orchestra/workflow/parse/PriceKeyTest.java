package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.workflow.Price;
import dev.orchestra.workflow.Workflow;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceKeyTest {

  @Test
  void oneLineInDefaultsPricesEveryNodeThatSetsNone() {
    ParseResult r =
        yaml(
            """
            version: 1
            defaults:
              price: {input_per_mtok: 1.25, output_per_mtok: 10, cached_input_per_mtok: 0.125}
            nodes:
              a: {agent: codex, prompt: p}
              b:
                agent: gemini
                prompt: q
                price: {input_per_mtok: 0.3, output_per_mtok: 2.5}
            """);
    assertThat(problems(r)).isEmpty();
    Workflow w = r.workflow();
    assertThat(w.effectiveNode("a").price())
        .isEqualTo(
            new Price(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125")));
    assertThat(w.effectiveNode("b").price())
        .isEqualTo(new Price(new BigDecimal("0.3"), new BigDecimal("2.5"), null));
  }

  @Test
  void acceptsAFreeModel() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a: {prompt: p, price: {input_per_mtok: 0, output_per_mtok: 0}}
            """);
    assertThat(problems(r)).isEmpty();
    assertThat(r.workflow().nodes().get("a").price().cost(1_000, 1_000, 1_000)).isZero();
  }

  @Test
  void suggestsTheKeyAMisspelledPricePartMeant() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                price: {input_per_mtok: 1, output_per_mtok: 2, cached_input_per_mtk: 0.1}
            """);
    assertOnlyProblem(
        r,
        5,
        52,
        "unknown key 'cached_input_per_mtk' in price of node 'a'; did you mean"
            + " 'cached_input_per_mtok'?");
    assertThat(r.workflow().nodes().get("a").price())
        .isEqualTo(new Price(BigDecimal.ONE, new BigDecimal("2"), null));
  }

  @Test
  void requiresTheOutputPriceAndNamesAnExample() {
    ParseResult r =
        yaml(
            """
            version: 1
            defaults:
              price: {input_per_mtok: 1}
            nodes:
              a: {prompt: p}
            """);
    assertOnlyProblem(
        r,
        3,
        10,
        "price of defaults must set 'output_per_mtok' (US dollars per million tokens), e.g."
            + " {input_per_mtok: 1.25, output_per_mtok: 10}");
    assertThat(r.workflow().defaults().price()).isNull();
  }

  @Test
  void rejectsANegativePriceAtItsPosition() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                price:
                  input_per_mtok: -1
                  output_per_mtok: 2
            """);
    assertOnlyProblem(r, 6, 23, "price 'input_per_mtok' must be a number >= 0, was -1");
  }

  @Test
  void rejectsAPriceThatIsNotAMapping() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, price: 1.25}\n");
    assertOnlyProblem(
        r,
        3,
        25,
        "'price' must be a mapping {input_per_mtok, output_per_mtok, cached_input_per_mtok},"
            + " was 1.25");
  }

  @Test
  void costsCachedTokensAtTheInputPriceUnlessStated() {
    Price p = new Price(new BigDecimal("2"), new BigDecimal("10"), null);
    assertThat(p.cost(1_000_000, 500_000, 100_000)).isEqualByComparingTo("4");
    Price cached = new Price(new BigDecimal("2"), new BigDecimal("10"), new BigDecimal("0.2"));
    assertThat(cached.cost(1_000_000, 500_000, 100_000)).isEqualByComparingTo("3.1");
  }

  @Test
  void refusesANegativePriceInCode() {
    assertThatThrownBy(() -> new Price(new BigDecimal("-1"), BigDecimal.ONE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputPerMtok must be >= 0, was -1");
  }
}
