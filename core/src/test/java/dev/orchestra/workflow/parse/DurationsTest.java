package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "90s, PT1M30S",
    "5m, PT5M",
    "1h30m, PT1H30M",
    "2h, PT2H",
    "500ms, PT0.5S",
    "1d, PT24H",
    "1h30m15s250ms, PT1H30M15.25S",
    "PT5M, PT5M",
    "pt1h, PT1H",
    "' 10s ', PT10S",
    "0s, PT0S",
  })
  void parsesCompactAndIsoForms(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5 minutes", "90", "m", "5x", "1m1h", "-5m", "P", "PTxM", "1.5h"})
  void rejectsOtherFormsNamingTheTextAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("90s, 5m, 1h30m or 2h, or ISO-8601 such as PT5M");
  }

  @org.junit.jupiter.api.Test
  void rejectsEmptyText() {
    assertThatThrownBy(() -> Durations.parse(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("empty duration; use a number with a unit");
  }

  @ParameterizedTest
  @CsvSource({
    "PT1H30M, 1h30m",
    "PT0.5S, 500ms",
    "PT90S, 1m30s",
    "PT48H, 48h",
    "PT0S, 0s",
    "PT-5M, -5m",
    "PT1H0.001S, 1h1ms",
  })
  void formatsCompactlyAndReadsBack(String iso, String text) {
    Duration d = Duration.parse(iso);
    assertThat(Durations.format(d)).isEqualTo(text);
    if (!d.isNegative()) {
      assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
  }
}
