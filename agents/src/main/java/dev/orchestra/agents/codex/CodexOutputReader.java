package dev.orchestra.agents.codex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.agents.AgentHome;
import dev.orchestra.agents.CliOutput;
import dev.orchestra.agents.ErrorClassifier;
import dev.orchestra.agents.ToolLine;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Reads {@code codex exec --json}: the thread id (the session), agent messages (live text and the
 * final output), commands and file changes (short tool lines), the usage of each completed turn
 * (priced from the table, as Codex reports no cost) and errors, which it classifies as refused
 * credentials, rate limits or failures. Thread-safe: stdout and stderr may arrive on two threads.
 */
final class CodexOutputReader implements AgentOutputReader {
  private static final int TOOL_LINE_CHARS = 200;

  /** A refused key: the status, or Codex's words for a missing or wrong key. */
  private static final Pattern AUTH =
      Pattern.compile(
          "\\b(?:401|403)\\b|unauthorized|forbidden|api key|missing environment variable");

  /** A rate limit or overload: the status, or the provider's words for one. */
  private static final Pattern RATE_LIMIT =
      Pattern.compile(
          "\\b(?:429|529)\\b|too many requests|rate limit|quota|overloaded|503 service unavailable");

  private final Pricing pricing;
  private final CodexSessions sessions;
  private final TokenCounts baseline;
  private final Path home;
  private final Path workspace;
  private final SecretMasker secrets;
  private final ErrorClassifier errors;
  private final CliOutput plain = new CliOutput();

  private String threadId;
  private String lastMessage = "";
  private TokenCounts total;
  private Usage usage = Usage.ZERO;
  private boolean turnCompleted;
  private String error;
  private boolean noted;

  /**
   * @param baseline the thread's cumulative tokens before this attempt (zero for a fresh run)
   * @param home the node's home, whose files (transcripts) are masked of {@code secrets} at the end
   * @param clock for reset times in rate-limit messages
   */
  CodexOutputReader(
      Pricing pricing,
      CodexSessions sessions,
      TokenCounts baseline,
      Path home,
      Path workspace,
      SecretMasker secrets,
      Clock clock) {
    this.pricing = pricing;
    this.sessions = sessions;
    this.baseline = baseline;
    this.home = home;
    this.workspace = workspace;
    this.secrets = secrets;
    this.errors = new ErrorClassifier("codex", AUTH, RATE_LIMIT, clock);
  }

  @Override
  public synchronized void onLine(OutputStream stream, String line, AgentSink sink) {
    JsonNode event = plain.event(stream, line, sink).orElse(null);
    if (event == null) {
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
            "tool shell "
                + shorten(item.path("command").asText(""))
                + (code.isNumber() ? "  (exit " + code.asInt() + ")" : ""));
      }
      case "file_change" -> {
        for (JsonNode change : item.path("changes")) {
          sink.output(
              "text",
              "tool "
                  + change.path("kind").asText("edit")
                  + " "
                  + ToolLine.relative(change.path("path").asText(""), workspace));
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
    sessions.dropDatabasesHolding(secrets);
    AgentHome.mask(home, secrets);
    if (threadId != null && total != null) {
      sessions.recordTokens(threadId, total);
    }
    // Codex may report errors it recovered from (a reconnect) before completing the turn.
    if (exit.succeeded() && turnCompleted) {
      return AgentResult.completed(lastMessage, usage, threadId);
    }
    String why = error != null ? error : plain.stderr();
    if (errors.refusedCredentials(why)) {
      return errors.authFailed(
          lastMessage,
          usage,
          "codex: the model API refused the credentials ("
              + why
              + "); set OPENAI_API_KEY, or store the key with 'orchestra credentials add openai'"
              + " and list it on the node: credentials: [openai]");
    }
    if (errors.rateLimited(why)) {
      return errors.rateLimited(lastMessage, usage, "codex: " + why, why);
    }
    // The thread may hold useful work; the next attempt resumes it with the failure as feedback.
    return errors.failed(exit, why, lastMessage, usage, threadId);
  }
}
