package dev.orchestra.agents.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agents.RecordingSink;
import dev.orchestra.agents.price.PriceTable;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On lines recorded from Gemini CLI 0.61.0 against a scripted endpoint (the answer of {@code
 * writes-file.jsonl} split into two deltas, as longer answers arrive).
 */
class GeminiOutputReaderTest {
  private static final PriceTable TABLE =
      PriceTable.parse(
          "{\"models\": {\"gemini-2.5-pro\": {\"input_per_mtok\": 1.25,"
              + " \"cached_input_per_mtok\": 0.125, \"output_per_mtok\": 10}}}");

  @TempDir Path home;
  private final RecordingSink sink = new RecordingSink();

  private GeminiOutputReader reader(String model) {
    return new GeminiOutputReader(
        Pricing.of(model, null, TABLE), home, null, new SecretMasker(), Clock.systemUTC());
  }

  private void feed(GeminiOutputReader reader, String recording) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(recording)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        reader.onLine(OutputStream.STDOUT, line, sink);
      }
    }
  }

  @Test
  void successGivesTheLastMessageTheSessionAndThePricedUsage() throws IOException {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    feed(reader, "writes-file.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(0));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.COMPLETED);
    assertThat(result.output()).isEqualTo("I wrote gemini.txt");
    assertThat(result.sessionId()).isEqualTo("781ef25a-a7fc-4abc-b329-4443fe5d718e");
    assertThat(result.usage().inputTokens()).isEqualTo(2000);
    assertThat(result.usage().outputTokens()).isEqualTo(80);
    // 1800 uncached * $1.25 + 200 cached * $0.125 + 80 output * $10, per million
    assertThat(result.usage().costUsd()).isEqualByComparingTo("0.003075");
    assertThat(result.usage().costEstimated()).isTrue();
    assertThat(sink.usages()).containsExactly(result.usage());
  }

  @Test
  void showsTheToolCallAndTheWholeAnswerLive() throws IOException {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    feed(reader, "writes-file.jsonl");

    assertThat(sink.outputs())
        .containsExactly("text: tool write_file gemini.txt", "text: I wrote gemini.txt");
  }

  @Test
  void theFinalOutputIsTheMessageAfterTheLastToolCall() {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    reader.onLine(OutputStream.STDOUT, assistant("I will write it."), sink);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"tool_use\",\"tool_name\":\"run_shell_command\",\"tool_id\":\"t1\","
            + "\"parameters\":{\"command\":\"make test\"}}",
        sink);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"tool_result\",\"tool_id\":\"t1\",\"status\":\"error\","
            + "\"error\":{\"type\":\"x\",\"message\":\"exit 2\"}}",
        sink);
    reader.onLine(OutputStream.STDOUT, assistant("Tests fail."), sink);
    reader.onLine(
        OutputStream.STDOUT,
        "{\"type\":\"result\",\"status\":\"success\",\"stats\":{\"input_tokens\":5,"
            + "\"output_tokens\":1,\"cached\":0}}",
        sink);

    AgentResult result = reader.finish(ExitStatus.exited(0));

    assertThat(result.output()).isEqualTo("Tests fail.");
    assertThat(sink.outputs())
        .containsExactly(
            "text: I will write it.",
            "text: tool run_shell_command make test",
            "text: tool failed: exit 2",
            "text: Tests fail.");
  }

  private static String assistant(String text) {
    return "{\"type\":\"message\",\"role\":\"assistant\",\"content\":\""
        + text
        + "\",\"delta\":true}";
  }

  @Test
  void unauthorizedFailsNamingTheCredentialToSet() throws IOException {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    feed(reader, "http-401.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(145));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(result.message())
        .contains("HTTP 401", "API key not valid", "GEMINI_API_KEY")
        .contains("orchestra credentials add gemini");
  }

  @Test
  void resourceExhaustedIsARateLimitWithTheSuggestedWait() throws IOException {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    feed(reader, "http-429.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(173));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(result.message()).contains("429", "Resource has been exhausted");
    assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void anUnknownModelCostsNothingAndSaysSo() throws IOException {
    GeminiOutputReader reader = reader("gemini-9-ultra");
    feed(reader, "writes-file.jsonl");

    AgentResult result = reader.finish(ExitStatus.exited(0));

    assertThat(result.usage().costUsd()).isZero();
    assertThat(sink.outputs()).anyMatch(l -> l.contains("no price is known for model"));
  }

  @Test
  void aCrashWithoutAResultFailsWithItsStandardError() {
    GeminiOutputReader reader = reader("gemini-2.5-pro");
    reader.onLine(OutputStream.STDERR, "Error resuming session: Invalid session identifier", sink);

    AgentResult result = reader.finish(ExitStatus.exited(42));

    assertThat(result.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(result.message()).startsWith("gemini exited with code 42").contains("resuming");
  }
}
