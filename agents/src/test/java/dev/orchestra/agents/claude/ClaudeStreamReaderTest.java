package dev.orchestra.agents.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on lines recorded from Claude Code 2.1 (trimmed to the fields that matter). */
class ClaudeStreamReaderTest {
  static final String SESSION = "51ea80e3-1a22-4c17-8a03-ae3781de490b";
  static final String INIT =
      """
      {"type":"system","subtype":"init","cwd":"/ws","session_id":"%s","tools":["Bash","Write"],\
      "model":"claude-opus-5-5","permissionMode":"bypassPermissions"}"""
          .formatted(SESSION);
  static final String TOOL_USE =
      """
      {"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant",\
      "content":[{"input":{"file_path":"/ws/src/hello.txt","content":"hi"},"name":"Write",\
      "id":"toolu_2","type":"tool_use"}],"usage":{"output_tokens":1,"input_tokens":10,\
      "cache_read_input_tokens":100}},"session_id":"%s"}"""
          .formatted(SESSION);
  static final String TOOL_RESULT =
      """
      {"type":"user","message":{"role":"user","content":[{"tool_use_id":"toolu_2",\
      "type":"tool_result","content":"File created successfully"}]},"session_id":"%s"}"""
          .formatted(SESSION);
  static final String TEXT =
      """
      {"type":"assistant","message":{"id":"msg_3","type":"message","role":"assistant",\
      "content":[{"type":"text","text":"wrote it\\nall done"}],"usage":{"output_tokens":1,\
      "input_tokens":100}},"session_id":"%s"}"""
          .formatted(SESSION);
  static final String RESULT =
      """
      {"type":"result","subtype":"success","is_error":false,"result":"wrote it\\nall done",\
      "session_id":"%s","num_turns":2,"total_cost_usd":0.00104,"usage":{"input_tokens":110,\
      "cache_creation_input_tokens":5,"cache_read_input_tokens":100,"output_tokens":30}}"""
          .formatted(SESSION);

  @TempDir Path home;
  final List<String> shown = new ArrayList<>();
  final List<Usage> usages = new ArrayList<>();
  final AgentSink sink =
      new AgentSink() {
        @Override
        public void output(String stream, String text) {
          shown.add(stream + ": " + text);
        }

        @Override
        public void usage(Usage soFar) {
          usages.add(soFar);
        }
      };

  ClaudeStreamReader reader(String resumed) {
    return new ClaudeStreamReader(home, Path.of("/ws"), new SecretMasker(), resumed, clock());
  }

  static Clock clock() {
    return Clock.fixed(Instant.ofEpochSecond(1_767_225_000), ZoneOffset.UTC);
  }

  AgentResult read(ClaudeStreamReader reader, int exit, String... lines) {
    for (String line : lines) {
      reader.onLine(OutputStream.STDOUT, line, sink);
    }
    return reader.finish(new ExitStatus(exit, false, null));
  }

  static String error(int status, String message) {
    return """
        {"type":"result","subtype":"success","is_error":true,"api_error_status":%s,\
        "result":"%s","session_id":"%s","total_cost_usd":0,"usage":{"input_tokens":0,\
        "output_tokens":0}}"""
        .formatted(status == 0 ? "null" : Integer.toString(status), message, SESSION);
  }

  @Test
  void showsTextAndToolCallsAndReportsTheResultUsageCostAndSession() {
    AgentResult r = read(reader(null), 0, INIT, TOOL_USE, TOOL_RESULT, TEXT, RESULT);

    assertThat(r.outcome()).isEqualTo(AgentOutcome.COMPLETED);
    assertThat(r.output()).isEqualTo("wrote it\nall done");
    assertThat(r.sessionId()).isEqualTo(SESSION);
    assertThat(r.usage()).isEqualTo(new Usage(215, 30, new BigDecimal("0.00104")));
    assertThat(shown)
        .containsExactly("text: tool Write src/hello.txt", "text: wrote it", "text: all done");
  }

  @Test
  void reportsTheRunningUsageOfEachAssistantMessageAsItArrives() {
    read(reader(null), 0, INIT, TOOL_USE, TOOL_USE, TEXT, RESULT);

    assertThat(usages)
        .extracting(Usage::totalTokens)
        .as("a message repeated on two lines counts once")
        .containsExactly(111L, 111L, 212L, 245L);
  }

  @Test
  void plainLinesAreOutputNotErrors() {
    AgentResult r = read(reader(null), 0, "warning: something", "{not json", "[1,2]", RESULT);

    assertThat(r.outcome()).isEqualTo(AgentOutcome.COMPLETED);
    assertThat(shown).contains("stdout: warning: something", "stdout: {not json", "stdout: [1,2]");
  }

  @Test
  void refusedCredentialsAreAnAuthFailureNamingTheVariableAndTheCredential() {
    AgentResult r =
        read(reader(null), 1, INIT, error(401, "Failed to authenticate. API Error: 401 bad key"));

    assertThat(r.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(r.message())
        .contains("401", "bad key", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN")
        .contains("orchestra credentials add anthropic", "credentials: [anthropic]");
  }

  @Test
  void noKeyAtAllIsAnAuthFailureToo() {
    AgentResult r = read(reader(null), 1, INIT, error(0, "Not logged in · Please run /login"));

    assertThat(r.outcome()).isEqualTo(AgentOutcome.AUTH_FAILED);
    assertThat(r.message()).contains("Not logged in", "ANTHROPIC_API_KEY");
  }

  @Test
  void rateLimitsAndOverloadAreRateLimitedWithTheResetHint() {
    AgentResult limited =
        read(reader(null), 1, error(429, "API Error: Request rejected (429) · retry after 30s"));
    AgentResult overloaded = read(reader(null), 1, error(529, "API Error: Overloaded"));
    AgentResult usageLimit =
        read(reader(null), 1, error(0, "Claude AI usage limit reached|1767225600"));

    assertThat(limited.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(limited.sessionId()).isNull();
    assertThat(overloaded.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(overloaded.retryAfter()).isNull();
    assertThat(usageLimit.outcome()).isEqualTo(AgentOutcome.RATE_LIMITED);
    assertThat(usageLimit.retryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void otherApiErrorsFailWithTheClisMessage() {
    AgentResult r = read(reader(null), 1, INIT, error(500, "API Error: 500 Internal server error"));

    assertThat(r.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(r.message()).contains("API Error: 500 Internal server error");
  }

  @Test
  void noResultLineFailsWithTheTailOfStderr() {
    ClaudeStreamReader reader = reader(null);
    reader.onLine(OutputStream.STDERR, "Error: something broke", sink);

    AgentResult r = reader.finish(new ExitStatus(2, false, null));

    assertThat(r.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(r.message()).contains("exited with code 2", "Error: something broke");
    assertThat(shown).containsExactly("stderr: Error: something broke");
  }

  @Test
  void aSessionTheCliCannotResumeFailsWithoutASessionAndIsNotResumedAgain() throws Exception {
    String session = "11111111-2222-3333-4444-555555555555";
    String line =
        """
        {"type":"result","subtype":"error_during_execution","is_error":true,"num_turns":0,\
        "session_id":"%s","total_cost_usd":0,"errors":["No conversation found with session ID: %s"]}"""
            .formatted(session, session);
    Path transcript = home.resolve(".claude/projects/-ws/" + session + ".jsonl");
    Files.createDirectories(transcript.getParent());
    Files.writeString(transcript, "{}\n");
    assertThat(ClaudeAgent.resumable(home, session)).isEqualTo(session);

    AgentResult r = read(reader(session), 1, line);

    assertThat(r.outcome()).isEqualTo(AgentOutcome.FAILED);
    assertThat(r.sessionId()).isNull();
    assertThat(r.message()).contains("No conversation found");
    assertThat(ClaudeAgent.resumable(home, session)).isNull();
  }

  @Test
  void theNodesCredentialsAreMaskedInTheHomesFiles() throws Exception {
    var secrets = new SecretMasker();
    secrets.add("sk-ant-secret-123456");
    Path transcript = home.resolve(".claude/projects/-ws/s.jsonl");
    Files.createDirectories(transcript.getParent());
    Files.writeString(transcript, "{\"text\":\"the key is sk-ant-secret-123456\"}\n");
    var reader = new ClaudeStreamReader(home, Path.of("/ws"), secrets, null, clock());

    read(reader, 0, RESULT);

    assertThat(Files.readString(transcript)).isEqualTo("{\"text\":\"the key is ****\"}\n");
  }
}
