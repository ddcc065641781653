package dev.orchestra.agents.codex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.agents.RetryHints;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Tail;
import java.util.Locale;

/**
 * Reads {@code codex exec --json}: the thread id (the session), agent messages (live text and the
 * final output), commands and file changes (short tool lines), the usage of each completed turn
 * (priced from the table, as Codex reports no cost) and errors, which it classifies as refused
 * credentials, rate limits or failures. Thread-safe: stdout and stderr may arrive on two threads.
 */
final class CodexOutputReader implements AgentOutputReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TOOL_LINE_CHARS = 200;

  private final Pricing pricing;
  private final CodexSessions sessions;
  private final TokenCounts baseline;
  private final Tail stderr = Tail.forFeedback();

  private String threadId;
  private String lastMessage = "";
  private TokenCounts total;
  private Usage usage = Usage.ZERO;
  private boolean turnCompleted;
  private String error;
  private boolean noted;

  /**
   * @param baseline the thread's cumulative tokens before this attempt (zero for a fresh run)
   */
  CodexOutputReader(Pricing pricing, CodexSessions sessions, TokenCounts baseline) {
    this.pricing = pricing;
    this.sessions = sessions;
    this.baseline = baseline;
  }

  @Override
  public synchronized void onLine(OutputStream stream, String line, AgentSink sink) {
    if (stream == OutputStream.STDERR) {
      stderr.appendLine(line);
      sink.output(stream.wireName(), line);
      return;
    }
    JsonNode event = parse(line);
    if (event == null) {
      sink.output(stream.wireName(), line);
      return;
    }
    switch (event.path("type").asText()) {
      case "thread.started" -> threadId = event.path("thread_id").asText(null);
      case "item.completed" -> item(event.path("item"), sink);
      case "turn.completed" -> turnCompleted(event.path("usage"), sink);
      case "turn.failed" -> error = event.path("error").path("message").asText(error);
      case "error" -> {
        error = event.path("message").asText(error);
        sink.output("stderr", "codex: " + error);
      }
      default -> {
        // turn.started, item.started/updated: the completed item carries everything shown.
      }
    }
  }

  private static JsonNode parse(String line) {
    if (line.isEmpty() || line.charAt(0) != '{') {
      return null;
    }
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private void item(JsonNode item, AgentSink sink) {
    switch (item.path("type").asText()) {
      case "agent_message" -> {
        lastMessage = item.path("text").asText("");
        sink.output("text", lastMessage);
      }
      case "command_execution" -> {
        JsonNode code = item.path("exit_code");
        sink.output(
            "text",
            "$ "
                + shorten(item.path("command").asText(""))
                + (code.isNumber() ? "  (exit " + code.asInt() + ")" : ""));
      }
      case "file_change" -> {
        for (JsonNode change : item.path("changes")) {
          sink.output(
              "text",
              "~ " + change.path("kind").asText("edit") + " " + change.path("path").asText(""));
        }
      }
      case "error" -> sink.output("stderr", "codex: " + item.path("message").asText(""));
      default -> {
        // reasoning, todo lists, web searches: not shown live.
      }
    }
  }

  private void turnCompleted(JsonNode u, AgentSink sink) {
    turnCompleted = true;
    total =
        new TokenCounts(
            u.path("input_tokens").asLong(),
            u.path("cached_input_tokens").asLong(),
            u.path("output_tokens").asLong());
    TokenCounts own = total.since(baseline);
    usage = pricing.usage(own.input(), own.cachedInput(), own.output());
    if (!noted) {
      noted = true;
      pricing.note().ifPresent(note -> sink.output("stderr", note));
    }
    sink.usage(usage);
  }

  private static String shorten(String s) {
    String one = s.replace('\n', ' ');
    return one.length() <= TOOL_LINE_CHARS ? one : one.substring(0, TOOL_LINE_CHARS) + "…";
  }

  @Override
  public synchronized AgentResult finish(ExitStatus exit) {
    if (threadId != null && total != null) {
      sessions.recordTokens(threadId, total);
    }
    // Codex may report errors it recovered from (a reconnect) before completing the turn.
    if (exit.succeeded() && turnCompleted) {
      return AgentResult.completed(lastMessage, usage, threadId);
    }
    String why = error != null ? error : stderr.toString().strip();
    String lower = why.toLowerCase(Locale.ROOT);
    if (lower.contains("401") || lower.contains("unauthorized") || lower.contains("api key")) {
      return new AgentResult(
          AgentOutcome.AUTH_FAILED,
          lastMessage,
          usage,
          null,
          "codex: the model API refused the credentials ("
              + why
              + "); set OPENAI_API_KEY, or store the key with 'orchestra credentials add openai'"
              + " and list it on the node: credentials: [openai]",
          null);
    }
    if (isRateLimit(lower)) {
      return new AgentResult(
          AgentOutcome.RATE_LIMITED,
          lastMessage,
          usage,
          null,
          "codex: " + why,
          RetryHints.find(why).orElse(null));
    }
    String message =
        exit.killed()
            ? "codex was killed (exit code " + exit.code() + ")"
            : "codex exited with code " + exit.code();
    if (!why.isEmpty()) {
      message += ": " + why;
    }
    // The thread may hold useful work; the next attempt resumes it with the failure as feedback.
    return new AgentResult(AgentOutcome.FAILED, lastMessage, usage, threadId, message, null);
  }

  private static boolean isRateLimit(String lower) {
    return lower.contains("429")
        || lower.contains("too many requests")
        || lower.contains("rate limit")
        || lower.contains("quota")
        || lower.contains("overloaded")
        || lower.contains("503 service unavailable");
  }
}
