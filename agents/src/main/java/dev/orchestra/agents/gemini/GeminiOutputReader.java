package dev.orchestra.agents.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.agents.AgentHome;
import dev.orchestra.agents.CliOutput;
import dev.orchestra.agents.ErrorClassifier;
import dev.orchestra.agents.JsonStream;
import dev.orchestra.agents.ToolLine;
import dev.orchestra.agents.price.Pricing;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads Gemini CLI's {@code stream-json}: the session id ({@code init}), assistant text (streamed
 * in deltas, shown live once a message is complete; the last message is the final output), tool
 * calls and failed tool results as short tool lines, and the {@code result} line with the attempt's
 * token counts (priced from the table, as the CLI reports no cost) or the API error that decides
 * the outcome. Lines that are not JSON are plain output. Thread-safe: stdout and stderr may arrive
 * on two threads.
 */
final class GeminiOutputReader implements AgentOutputReader {
  /** The CLI exits with the HTTP status modulo 256 when the API refuses a request. */
  static final int EXIT_401 = 401 % 256;

  static final int EXIT_403 = 403 % 256;
  static final int EXIT_429 = 429 % 256;
  static final int EXIT_503 = 503 % 256;

  /** The parameters whose value a tool line shows, the first one present. */
  private static final List<String> TOOL_KEYS =
      List.of(
          "file_path", "absolute_path", "path", "dir_path", "command", "pattern", "url", "query");

  /** A refused key, in the Gemini API's words. */
  private static final Pattern AUTH =
      Pattern.compile(
          "\\b(?:401|403)\\b|unauthenticated|permission_denied|api key not valid|api_key_invalid");

  /** A rate limit or overload, in the Gemini API's words. */
  private static final Pattern RATE_LIMIT =
      Pattern.compile(
          "\\b(?:429|503)\\b|resource_exhausted|resource has been exhausted|quota|rate limit"
              + "|overloaded|\\bunavailable\\b");

  private final Pricing pricing;
  private final Path home;
  private final Path workspace;
  private final SecretMasker secrets;
  private final ErrorClassifier errors;
  private final CliOutput plain = new CliOutput();

  private final StringBuilder message = new StringBuilder();
  private AgentSink sink;
  private String sessionId;
  private String lastMessage = "";
  private JsonNode result;
  private String error;
  private Usage usage = Usage.ZERO;

  /**
   * @param home the node's home, whose files (session transcripts) are masked of {@code secrets} at
   *     the end
   * @param clock for reset times in rate-limit messages
   */
  GeminiOutputReader(
      Pricing pricing, Path home, Path workspace, SecretMasker secrets, Clock clock) {
    this.pricing = pricing;
    this.home = home;
    this.workspace = workspace;
    this.secrets = secrets;
    this.errors = new ErrorClassifier("gemini", AUTH, RATE_LIMIT, clock);
  }

  @Override
  public synchronized void onLine(OutputStream stream, String line, AgentSink sink) {
    this.sink = sink;
    JsonNode event = plain.event(stream, line, sink).orElse(null);
    if (event == null) {
      return;
    }
    String type = event.path("type").asText();
    if (!"message".equals(type)) {
      endMessage();
    }
    switch (type) {
      case "init" -> sessionId = JsonStream.text(event, "session_id");
      case "message" -> {
        if ("assistant".equals(event.path("role").asText())) {
          if (!event.path("delta").asBoolean(false)) {
            endMessage();
          }
          message.append(event.path("content").asText(""));
        }
      }
      case "tool_use" ->
          sink.output(
              "text",
              ToolLine.of(
                  event.path("tool_name").asText("?"),
                  event.path("parameters"),
                  TOOL_KEYS,
                  workspace));
      case "tool_result" -> {
        if (!"success".equals(event.path("status").asText("success"))) {
          String why = event.path("error").path("message").asText("");
          sink.output("text", ToolLine.shorten("tool failed" + (why.isEmpty() ? "" : ": " + why)));
        }
      }
      case "error" -> {
        String text = event.path("message").asText("");
        if ("error".equals(event.path("severity").asText("error"))) {
          error = text;
        }
        sink.output("stderr", "gemini: " + text);
      }
      case "result" -> {
        result = event;
        if (!"success".equals(event.path("status").asText())) {
          error = event.path("error").path("message").asText(error);
        }
        JsonNode stats = event.path("stats");
        usage =
            pricing.usage(
                JsonStream.number(stats, "input_tokens"),
                JsonStream.number(stats, "cached"),
                JsonStream.number(stats, "output_tokens"));
        pricing.note().ifPresent(note -> sink.output("stderr", note));
        sink.usage(usage);
      }
      default -> {
        // Future event types: nothing to show.
      }
    }
  }

  /** Shows a completed assistant message live; it is the final output until another follows. */
  private void endMessage() {
    if (message.length() == 0) {
      return;
    }
    lastMessage = message.toString().strip();
    message.setLength(0);
    if (sink != null && !lastMessage.isEmpty()) {
      lastMessage.lines().forEach(l -> sink.output("text", l));
    }
  }

  @Override
  public synchronized AgentResult finish(ExitStatus exit) {
    endMessage();
    AgentHome.mask(home, secrets);
    boolean success = result != null && "success".equals(result.path("status").asText());
    if (exit.succeeded() && success) {
      return AgentResult.completed(lastMessage, usage, sessionId);
    }
    String why = error != null ? error : plain.stderr();
    int code = exit.killed() ? -1 : exit.code();
    if (code == EXIT_401 || code == EXIT_403 || errors.refusedCredentials(why)) {
      return errors.authFailed(lastMessage, usage, auth(code, why));
    }
    if (code == EXIT_429 || code == EXIT_503 || errors.rateLimited(why)) {
      return errors.rateLimited(
          lastMessage,
          usage,
          "gemini: " + (code == EXIT_429 ? "HTTP 429: " : "") + firstLine(why),
          why);
    }
    return errors.failed(exit, why, lastMessage, usage, sessionId);
  }

  private static String firstLine(String s) {
    return s.lines().findFirst().orElse(s);
  }

  private static String auth(int code, String why) {
    String status = code == EXIT_401 ? "HTTP 401" : code == EXIT_403 ? "HTTP 403" : null;
    String detail =
        status == null ? firstLine(why) : why.isEmpty() ? status : status + ": " + firstLine(why);
    return "gemini: the Gemini API refused the credentials ("
        + detail
        + "); set GEMINI_API_KEY (or GOOGLE_API_KEY): store a key with"
        + " `orchestra credentials add gemini` (or set ORCHESTRA_CREDENTIAL_GEMINI) and give the"
        + " node `credentials: [gemini]`";
  }
}
