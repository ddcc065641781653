package dev.orchestra.agents.claude;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.agents.AgentHome;
import dev.orchestra.agents.CliOutput;
import dev.orchestra.agents.ErrorClassifier;
import dev.orchestra.agents.JsonStream;
import dev.orchestra.agents.ToolLine;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Claude Code's {@code stream-json} output: assistant text and tool calls as live {@code
 * text} output, the session id from the {@code init} line, the running token usage from each
 * assistant message (so budgets stop it within a turn), and the {@code result} line: the final
 * message, the usage and the cost the CLI reports ({@code total_cost_usd}), or the API error that
 * decides the outcome. Lines that are not JSON are plain output. Synchronised: stdout and stderr
 * arrive on two threads.
 */
final class ClaudeStreamReader implements AgentOutputReader {
  private static final Logger LOG = LoggerFactory.getLogger(ClaudeStreamReader.class);

  /** What the CLI says when it cannot resume a session. */
  private static final String NO_CONVERSATION = "No conversation found";

  /** No key at all, in the CLI's words: it gives up before it calls the API. */
  private static final Pattern NO_KEY = Pattern.compile("not logged in|/login|invalid api key");

  /** A rate limit, an overload or a plan's usage limit, in the CLI's words. */
  private static final Pattern RATE_LIMIT = Pattern.compile("overloaded|rate limit|usage limit");

  /** The parameters whose value a tool line shows, the first one present. */
  private static final List<String> TOOL_KEYS =
      List.of(
          "file_path",
          "path",
          "notebook_path",
          "command",
          "pattern",
          "url",
          "description",
          "prompt");

  private final Path home;
  private final Path workspace;
  private final SecretMasker secrets;
  private final String resumed;
  private final ErrorClassifier errors;
  private final CliOutput plain = new CliOutput();

  /** Usage of each assistant message by id: a message spans several lines that repeat it. */
  private final Map<String, Usage> messages = new LinkedHashMap<>();

  private String sessionId;
  private JsonNode result;

  /**
   * @param secrets the node's credentials, masked in the home's files (transcripts) at the end
   */
  ClaudeStreamReader(Path home, Path workspace, SecretMasker secrets, String resumed, Clock clock) {
    this.home = home;
    this.workspace = workspace;
    this.secrets = secrets;
    this.resumed = resumed;
    this.errors = new ErrorClassifier("claude", NO_KEY, RATE_LIMIT, clock);
  }

  @Override
  public synchronized void onLine(OutputStream stream, String line, AgentSink sink) {
    ObjectNode event = plain.event(stream, line, sink).orElse(null);
    if (event == null) {
      return;
    }
    String type = JsonStream.text(event, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "system" -> {
        String id = JsonStream.text(event, "session_id");
        if (id != null && "init".equals(JsonStream.text(event, "subtype"))) {
          sessionId = id;
        }
      }
      case "assistant" -> assistant(event.path("message"), sink);
      case "result" -> {
        result = event;
        String id = JsonStream.text(event, "session_id");
        if (id != null) {
          sessionId = id;
        }
        sink.usage(finalUsage());
      }
      default -> {
        // user (tool results), stream events and future types: nothing to show.
      }
    }
  }

  private void assistant(JsonNode message, AgentSink sink) {
    for (JsonNode block : message.path("content")) {
      String kind = block.path("type").asText();
      if ("text".equals(kind)) {
        String text = block.path("text").asText();
        if (!text.isBlank()) {
          text.lines().forEach(l -> sink.output("text", l));
        }
      } else if ("tool_use".equals(kind)) {
        sink.output(
            "text",
            ToolLine.of(block.path("name").asText("?"), block.path("input"), TOOL_KEYS, workspace));
      }
    }
    JsonNode usage = message.path("usage");
    if (usage.isObject()) {
      String id = message.path("id").asText("message-" + messages.size());
      messages.put(id, tokens(usage, BigDecimal.ZERO));
      sink.usage(runningUsage());
    }
  }

  private Usage runningUsage() {
    return messages.values().stream().reduce(Usage.ZERO, Usage::plus);
  }

  private Usage finalUsage() {
    BigDecimal cost =
        result.path("total_cost_usd").isNumber()
            ? result.path("total_cost_usd").decimalValue()
            : BigDecimal.ZERO;
    JsonNode usage = result.path("usage");
    if (!usage.isObject()) {
      return new Usage(runningUsage().inputTokens(), runningUsage().outputTokens(), cost);
    }
    return tokens(usage, cost);
  }

  /** Input counts cache reads and writes: they are tokens the model was sent. */
  private static Usage tokens(JsonNode usage, BigDecimal cost) {
    long input =
        JsonStream.number(usage, "input_tokens")
            + JsonStream.number(usage, "cache_creation_input_tokens")
            + JsonStream.number(usage, "cache_read_input_tokens");
    return new Usage(input, JsonStream.number(usage, "output_tokens"), cost);
  }

  @Override
  public synchronized AgentResult finish(ExitStatus exit) {
    AgentHome.mask(home, secrets);
    if (result == null) {
      return noResult(exit);
    }
    Usage usage = finalUsage();
    String text = result.path("result").asText("");
    boolean error =
        result.path("is_error").asBoolean(false)
            || !"success".equals(result.path("subtype").asText("success"));
    if (!error) {
      return AgentResult.completed(text, usage, sessionId);
    }
    int status = result.path("api_error_status").asInt(0);
    String detail = text.isBlank() ? errors() : text.strip();
    if (resumed != null && detail.contains(NO_CONVERSATION)) {
      forget(resumed);
      return AgentResult.failed("claude could not resume its session: " + detail, "", usage);
    }
    if (status == 401 || status == 403) {
      return errors.authFailed("", usage, authMessage("HTTP " + status, detail));
    }
    if (errors.refusedCredentials(detail)) {
      return errors.authFailed("", usage, authMessage("no usable key", detail));
    }
    if (status == 429 || status == 529 || errors.rateLimited(detail)) {
      return errors.rateLimited("", usage, "claude: " + detail, detail);
    }
    return new AgentResult(
        AgentOutcome.FAILED, text, usage, sessionId, "claude failed: " + detail, null);
  }

  /** The {@code errors} of a result without a {@code result} text, or its subtype. */
  private String errors() {
    List<String> errors = new ArrayList<>();
    result.path("errors").forEach(e -> errors.add(e.asText()));
    return errors.isEmpty()
        ? result.path("subtype").asText("error")
        : String.join("; ", errors).strip();
  }

  private AgentResult noResult(ExitStatus exit) {
    String err = plain.stderr();
    String out = plain.stdout();
    String tail = !err.isEmpty() ? err : out;
    if (resumed != null && tail.contains(NO_CONVERSATION)) {
      forget(resumed);
    }
    String why =
        exit.killed()
            ? "claude was killed (exit code " + exit.code() + ") before it reported a result"
            : "claude exited with code " + exit.code() + " without a result";
    return AgentResult.failed(tail.isEmpty() ? why : why + ":\n" + tail, "", runningUsage());
  }

  /** The next attempt starts afresh: the CLI cannot resume this session. */
  private void forget(String session) {
    try {
      Files.writeString(home.resolve(ClaudeAgent.UNRESUMABLE + session), "");
    } catch (IOException e) {
      LOG.warn("cannot mark session {} as not resumable in {}", session, home, e);
    }
  }

  private static String authMessage(String why, String detail) {
    return "claude: the Anthropic API refused the credentials ("
        + why
        + "): "
        + detail
        + "; set ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN): store a key with"
        + " `orchestra credentials add anthropic` (or set ORCHESTRA_CREDENTIAL_ANTHROPIC) and"
        + " give the node `credentials: [anthropic]`";
  }
}
