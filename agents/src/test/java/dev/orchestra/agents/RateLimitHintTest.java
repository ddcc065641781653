package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitHintTest {
  final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_767_225_000), ZoneOffset.UTC);

  @Test
  void readsRetryAfterInItsCommonSpellings() {
    assertThat(RateLimitHint.parse("retry-after: 30", clock)).contains(Duration.ofSeconds(30));
    assertThat(RateLimitHint.parse("Please retry after 2 minutes", clock))
        .contains(Duration.ofMinutes(2));
    assertThat(RateLimitHint.parse("Please retry in 12.5s.", clock))
        .contains(Duration.ofMillis(12_500));
    assertThat(RateLimitHint.parse("try again in 1h", clock)).contains(Duration.ofHours(1));
    assertThat(RateLimitHint.parse("\"retry_after\": 7", clock)).contains(Duration.ofSeconds(7));
  }

  @Test
  void readsAResetTimeInEpochSecondsRelativeToTheClock() {
    assertThat(RateLimitHint.parse("usage limit reached|1767225600", clock))
        .contains(Duration.ofMinutes(10));
    assertThat(RateLimitHint.parse("usage limit reached|1767224000", clock))
        .contains(Duration.ZERO);
  }

  @Test
  void namesNoWaitWhenTheMessageHasNone() {
    assertThat(RateLimitHint.parse("API Error: Overloaded", clock)).isEmpty();
    assertThat(RateLimitHint.parse("error 429 after 3 tries", clock)).isEmpty();
    assertThat(RateLimitHint.parse(null, clock)).isEmpty();
  }
}
