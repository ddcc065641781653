package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS =
      List.of("needs", "agent", "attempts", "timeout", "idle_timeout", "prompt", "prompt_file");

  @Test
  void suggestsKeyOneEditAway() {
    assertThat(Suggestions.closest("need", KEYS)).contains("needs");
    assertThat(Suggestions.closest("promt", KEYS)).contains("prompt");
  }

  @Test
  void countsTranspositionAsOneEdit() {
    assertThat(Suggestions.closest("agnet", KEYS)).contains("agent");
    assertThat(Suggestions.distance("agnet", "agent", 5)).isEqualTo(1);
  }

  @Test
  void prefersCaseOnlyDifference() {
    assertThat(Suggestions.closest("Needs", List.of("needs", "nodes"))).contains("needs");
  }

  @Test
  void suggestsUnderscoreForDash() {
    assertThat(Suggestions.closest("idle-timeout", KEYS)).contains("idle_timeout");
  }

  @Test
  void suggestsNothingForUnrelatedWords() {
    assertThat(Suggestions.closest("dependencies", KEYS)).isEmpty();
    assertThat(Suggestions.closest("x", KEYS)).isEmpty();
    assertThat(Suggestions.closest("", KEYS)).isEmpty();
  }

  @Test
  void breaksTiesAlphabetically() {
    assertThat(Suggestions.closest("bc", List.of("bd", "ac"))).contains("ac");
    assertThat(Suggestions.closest("bc", List.of("ac", "bd"))).contains("ac");
  }

  @Test
  void findsNodeIdAmongTenThousand() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add("node-" + i);
    }
    assertThat(Suggestions.closest("node-99999", ids)).contains("node-9999");
    assertThat(Suggestions.closest("nod-4242", ids)).contains("node-4242");
  }
}
