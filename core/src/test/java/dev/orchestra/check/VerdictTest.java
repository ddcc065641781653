package dev.orchestra.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerdictTest {

  @Test
  void readsABareObject() {
    assertThat(Verdict.parse("{\"pass\": false, \"reason\": \"tests are missing\"}"))
        .contains(new Verdict(false, "tests are missing"));
  }

  @Test
  void readsAFencedObjectAmidProse() {
    String answer =
        """
        I looked at the diff. Overall fine.

        ```json
        {
          "pass": true,
          "reason": "Every module is named."
        }
        ```
        Let me know if you need more.
        """;
    assertThat(Verdict.parse(answer)).contains(new Verdict(true, "Every module is named."));
  }

  @Test
  void theLastVerdictWins() {
    String answer =
        "First I thought {\"pass\": true} but then {\"pass\": false, \"reason\": \"no tests\"}.";
    assertThat(Verdict.parse(answer)).contains(new Verdict(false, "no tests"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"false\"", "\"False\"", "false", "\" false \""})
  void acceptsFalseAsBooleanOrString(String value) {
    assertThat(Verdict.parse("{\"pass\": " + value + "}")).contains(new Verdict(false, null));
  }

  @Test
  void toleratesLooseJsonThatModelsWrite() {
    assertThat(Verdict.parse("verdict: {pass: 'true', reason: 'ok',}"))
        .contains(new Verdict(true, "ok"));
  }

  @Test
  void aNestedPassDoesNotOverrideTheOuterVerdict() {
    assertThat(
            Verdict.parse("{\"pass\": true, \"reason\": \"ok\", \"details\": {\"pass\": false}}"))
        .contains(new Verdict(true, "ok"));
  }

  @Test
  void findsAVerdictWrappedInAnotherObject() {
    assertThat(Verdict.parse("{\"result\": {\"pass\": false, \"reason\": \"r\"}}"))
        .contains(new Verdict(false, "r"));
  }

  @Test
  void bracesInsideTheReasonDoNotConfuseIt() {
    assertThat(Verdict.parse("{\"pass\": false, \"reason\": \"use {name} in the template\"}"))
        .contains(new Verdict(false, "use {name} in the template"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Looks good to me!",
        "{\"verdict\": \"pass\"}",
        "{\"pass\": \"maybe\"}",
        "{\"pass\": 1}",
        "{\"pass\": true",
        "{{{{"
      })
  void findsNoVerdictWhereThereIsNone(String answer) {
    assertThat(Verdict.parse(answer)).isEqualTo(Optional.empty());
  }
}
