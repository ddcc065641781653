package dev.orchestra.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {
  final ErrorClassifier errors =
      new ErrorClassifier(
          "tool",
          Pattern.compile("\\b401\\b|api key"),
          Pattern.compile("\\b429\\b|overloaded"),
          Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC));
  final Usage usage = new Usage(3, 4, null);

  @Test
  void matchesTheProvidersWordsWhateverTheirCase() {
    assertThat(errors.refusedCredentials("Invalid API Key")).isTrue();
    assertThat(errors.refusedCredentials("HTTP 4010")).isFalse();
    assertThat(errors.rateLimited("Model OVERLOADED")).isTrue();
    assertThat(errors.rateLimited("disk full")).isFalse();
  }

  @Test
  void aRateLimitWaitsForTheResetItNamesAndKeepsNoSession() {
    AgentResult r = errors.rateLimited("out", usage, "tool: 429", "429, retry after 30s");

    assertThat(r.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.sessionId()).isNull();
    assertThat(r.message()).isEqualTo("tool: 429");
    assertThat(r.usage()).isEqualTo(usage);
  }

  @Test
  void refusedCredentialsKeepNoSession() {
    AgentResult r = errors.authFailed("", usage, "set THE_KEY");

    assertThat(r.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(r.sessionId()).isNull();
    assertThat(r.message()).isEqualTo("set THE_KEY");
  }

  @Test
  void aFailureSaysHowTheCliEndedAndKeepsTheSessionToResume() {
    AgentResult exited = errors.failed(ExitStatus.exited(3), "boom", "out", usage, "s1");
    AgentResult killed = errors.failed(new ExitStatus(137, true, null), "", "", usage, "s1");

    assertThat(exited.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(exited.message()).isEqualTo("tool exited with code 3: boom");
    assertThat(exited.sessionId()).isEqualTo("s1");
    assertThat(exited.output()).isEqualTo("out");
    assertThat(killed.message()).isEqualTo("tool was killed (exit code 137)");
  }
}
