package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryHintsTest {

  @Test
  void readsOpenAisTryAgainInSeconds() {
    assertThat(RetryHints.find("Rate limit reached for gpt-5.5. Please try again in 7.5s."))
        .contains(Duration.ofMillis(7_500));
  }

  @Test
  void readsGeminisSuggestedRetryAfter() {
    assertThat(
            RetryHints.find(
                "[API Error: Resource has been exhausted (e.g. check quota).\n"
                    + "Suggested retry after 7s.]"))
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void readsAGoogleRetryDelayField() {
    assertThat(RetryHints.find("{\"retryDelay\": \"30s\"}")).contains(Duration.ofSeconds(30));
  }

  @Test
  void readsMillisecondsAndMinutes() {
    assertThat(RetryHints.find("try again in 250ms")).contains(Duration.ofMillis(250));
    assertThat(RetryHints.find("Please retry in 2 minutes")).contains(Duration.ofMinutes(2));
  }

  @Test
  void aBareRetryAfterNumberIsSeconds() {
    assertThat(RetryHints.find("Retry-After: 20")).contains(Duration.ofSeconds(20));
  }

  @Test
  void capsAnAbsurdHintAtOneHour() {
    assertThat(RetryHints.find("try again in 99999 hours")).contains(RetryHints.MAX);
  }

  @Test
  void findsNothingInAMessageWithoutAHint() {
    assertThat(RetryHints.find("exceeded retry limit, last status: 429 Too Many Requests"))
        .isEmpty();
    assertThat(RetryHints.find(null)).isEmpty();
  }
}
