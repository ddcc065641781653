package dev.orchestra.agents.codex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agents.RecordingSink;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On lines recorded from codex-cli 0.169.0 against a scripted Responses endpoint. */
class CodexOutputReaderTest {
  private static final String THREAD = "01a20b0a-8033-7322-8036-949ddd5d636b";
  private static final PriceTable TABLE =
      PriceTable.parse(
          "{\"models\": {\"gpt-5.5\": {\"input_per_mtok\": 5, \"cached_input_per_mtok\": 0.5,"
              + " \"output_per_mtok\": 30}}}");

  @TempDir Path codexHome;
  private final RecordingSink sink = new RecordingSink();

  private CodexOutputReader reader(String model, TokenCounts baseline) {
    return new CodexOutputReader(
        Pricing.of(model, null, TABLE),
        new CodexSessions(codexHome),
        baseline,
        codexHome,
        null,
        new dev.orchestra.secret.SecretMasker(),
        java.time.Clock.systemUTC());
  }

  private void feed(CodexOutputReader reader, String recording) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(recording)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        reader.onLine(OutputStream.STDOUT, line, sink);
      }
    }
  }

  @Test
  void completedTurnGivesTheFinalMessageTheThreadAndThePricedUsage() throws IOException {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    feed(reader, "exec-writes-file.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(0));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.COMPLETED);
    assertThat(result.output()).isEqualTo("I wrote codex.txt");
    assertThat(result.sessionId()).isEqualTo(THREAD);
    assertThat(result.usage().inputTokens()).isEqualTo(2400);
    assertThat(result.usage().outputTokens()).isEqualTo(100);
    // 2000 uncached * $5 + 400 cached * $0.50 + 100 output * $30, per million
    assertThat(result.usage().costUsd()).isEqualByComparingTo("0.0132");
    assertThat(result.usage().costEstimated()).isTrue();
    assertThat(sink.usages()).containsExactly(result.usage());
  }

  @Test
  void showsTheCommandAndTheMessageLive() throws IOException {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    feed(reader, "exec-writes-file.jsonl");

    assertThat(sink.outputs())
        .containsExactly(
            "text: tool shell /bin/bash -lc \"printf 'hello\\\\n' > codex.txt\"  (exit 0)",
            "text: I wrote codex.txt");
  }

  @Test
  void aResumedThreadCountsOnlyTheTokensOfThisAttempt() throws IOException {
    CodexOutputReader first = reader("gpt-5.5", TokenCounts.ZERO);
    feed(first, "exec-writes-file.jsonl");
    first.finish(ExitStatus.exited(0));
    TokenCounts before = new CodexSessions(codexHome).tokensSoFar(THREAD);

    CodexOutputReader resumed = reader("gpt-5.5", before);
    feed(resumed, "resume.jsonl");
    AgentResult result = resumed.finish(ExitStatus.exited(0));

    assertThat(before).isEqualTo(new TokenCounts(2400, 400, 100));
    assertThat(result.output()).isEqualTo("I fixed codex.txt");
    assertThat(result.usage().inputTokens()).isEqualTo(1200);
    assertThat(result.usage().outputTokens()).isEqualTo(50);
  }

  @Test
  void anUnknownModelCostsNothingAndSaysSoOnce() throws IOException {
    CodexOutputReader reader = reader("my-gateway-model", TokenCounts.ZERO);
    feed(reader, "exec-writes-file.jsonl");
    feed(reader, "resume.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(0));

    assertThat(result.usage().costUsd()).isZero();
    assertThat(sink.outputs())
        .filteredOn(line -> line.contains("no price is known for model 'my-gateway-model'"))
        .hasSize(1);
  }

  @Test
  void unauthorizedFailsNamingTheCredentialToSet() throws IOException {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    feed(reader, "http-401.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(result.message())
        .contains("401 Unauthorized")
        .contains("OPENAI_API_KEY")
        .contains("orchestra credentials add openai");
  }

  @Test
  void aMissingKeyFailsNamingTheCredentialToSet() {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"turn.failed\",\"error\":{\"message\":"
            + "\"Missing environment variable: `OPENAI_API_KEY`.\"}}",
        sink);

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(result.message()).contains("Missing environment variable", "credentials: [openai]");
  }

  @Test
  void aStatusNumberInsideAnotherNumberIsNotAnError() {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"turn.failed\",\"error\":{\"message\":"
            + "\"stream disconnected: connection to 10.0.4.29:14290 reset\"}}",
        sink);

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.FAILED);
  }

  @Test
  void tooManyRequestsIsARateLimitNotAFailure() throws IOException {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    feed(reader, "http-429.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(result.message()).contains("429 Too Many Requests");
    assertThat(result.retryAfter()).isNull();
  }

  @Test
  void aRateLimitMessageWithAResetHintGivesTheWait() {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"turn.failed\",\"error\":{\"message\":\"Rate limit reached for gpt-5.5."
            + " Please try again in 2.5s.\"}}",
        sink);

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(result.retryAfter()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void aCrashWithoutEventsFailsWithItsStandardError() {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);
    reader.onLine(
        OutputStream.STDERR,
        "Error: thread/resume: thread/resume failed: no rollout found for thread id x",
        sink);

    AgentResult result = reader.finish(ExitStatus.exited(1));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(result.message())
        .startsWith("codex exited with code 1")
        .contains("no rollout found");
    assertThat(sink.outputs()).anyMatch(line -> line.startsWith("stderr: Error: thread/resume"));
  }

  @Test
  void passesLinesThatAreNotEventsThrough() {
    CodexOutputReader reader = reader("gpt-5.5", TokenCounts.ZERO);

    reader.onLine(OutputStream.STDOUT, "plain words", sink);
    reader.onLine(OutputStream.STDOUT, "{not json", sink);

    assertThat(sink.outputs()).containsExactly("stdout: plain words", "stdout: {not json");
  }
}
