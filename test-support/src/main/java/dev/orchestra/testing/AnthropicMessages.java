package dev.orchestra.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Anthropic Messages API as Claude Code calls it: {@code POST /v1/messages} answered with the
 * streaming events {@code message_start}, {@code content_block_*}, {@code message_delta}, {@code
 * message_stop}. A {@link Turn.WriteFile} becomes a {@code Write} tool call with an absolute {@code
 * file_path} under the working directory named in the request's system prompt.
 */
public final class AnthropicMessages implements Protocol {
  /** The name to script turns under. */
  public static final String NAME = "anthropic";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CWD = Pattern.compile("Primary working directory: ([^\\n\\\\\"]+)");
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean handles(String method, String path) {
    return "POST".equals(method)
        && path.startsWith("/v1/messages")
        && !path.contains("count_tokens");
  }

  /** A final "done" once the script is used up. */
  @Override
  public Turn defaultTurn(RecordedRequest request) {
    return new Turn.Text("done");
  }

  @Override
  public void respond(Turn turn, RecordedRequest request, HttpExchange exchange)
      throws IOException {
    String model = request.json().path("model").asText("claude-test");
    if (turn instanceof Turn.Fail f) {
      fail(f, exchange);
    } else if (turn instanceof Turn.Text t) {
      Sse sse = Sse.start(exchange);
      start(sse, model, t.inputTokens());
      sse.event(
          "content_block_start",
          Map.of(
              "type",
              "content_block_start",
              "index",
              0,
              "content_block",
              Map.of("type", "text", "text", "")));
      sse.event(
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of("type", "text_delta", "text", t.text())));
      stop(sse, "end_turn", t.outputTokens());
    } else if (turn instanceof Turn.WriteFile w) {
      Sse sse = Sse.start(exchange);
      start(sse, model, 10);
      String cwd = workingDirectory(request);
      String filePath = w.path().startsWith("/") || cwd == null ? w.path() : cwd + "/" + w.path();
      var input = new LinkedHashMap<String, Object>();
      input.put("file_path", filePath);
      input.put("content", w.content());
      sse.event(
          "content_block_start",
          Map.of(
              "type",
              "content_block_start",
              "index",
              0,
              "content_block",
              Map.of(
                  "type",
                  "tool_use",
                  "id",
                  "toolu_" + ids.incrementAndGet(),
                  "name",
                  "Write",
                  "input",
                  Map.of())));
      sse.event(
          "content_block_delta",
          Map.of(
              "type",
              "content_block_delta",
              "index",
              0,
              "delta",
              Map.of("type", "input_json_delta", "partial_json", JSON.writeValueAsString(input))));
      stop(sse, "tool_use", 10);
    }
  }

  private void start(Sse sse, String model, long inputTokens) throws IOException {
    var usage = Map.of("input_tokens", inputTokens, "output_tokens", 1);
    var message = new LinkedHashMap<String, Object>();
    message.put("id", "msg_" + ids.incrementAndGet());
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    message.put("content", java.util.List.of());
    message.put("stop_reason", null);
    message.put("stop_sequence", null);
    message.put("usage", usage);
    sse.event("message_start", Map.of("type", "message_start", "message", message));
  }

  private static void stop(Sse sse, String reason, long outputTokens) throws IOException {
    sse.event("content_block_stop", Map.of("type", "content_block_stop", "index", 0));
    var delta = new LinkedHashMap<String, Object>();
    delta.put("stop_reason", reason);
    delta.put("stop_sequence", null);
    sse.event(
        "message_delta",
        Map.of(
            "type",
            "message_delta",
            "delta",
            delta,
            "usage",
            Map.of("output_tokens", outputTokens)));
    sse.event("message_stop", Map.of("type", "message_stop"));
  }

  private static void fail(Turn.Fail f, HttpExchange exchange) throws IOException {
    if (f.retryAfterSeconds() != null) {
      exchange.getResponseHeaders().set("retry-after", f.retryAfterSeconds().toString());
    }
    String type =
        switch (f.status()) {
          case 401 -> "authentication_error";
          case 403 -> "permission_error";
          case 429 -> "rate_limit_error";
          case 529 -> "overloaded_error";
          default -> "api_error";
        };
    Sse.json(
        exchange,
        f.status(),
        Map.of("type", "error", "error", Map.of("type", type, "message", f.body())));
  }

  /** The directory after "Primary working directory:" in the system prompt, or {@code null}. */
  static String workingDirectory(RecordedRequest request) {
    JsonNode system = request.json().path("system");
    StringBuilder text = new StringBuilder();
    if (system.isTextual()) {
      text.append(system.asText());
    } else {
      system.forEach(b -> text.append(b.path("text").asText()).append('\n'));
    }
    Matcher m = CWD.matcher(text);
    if (m.find()) {
      return m.group(1).strip();
    }
    m = CWD.matcher(request.body());
    return m.find() ? m.group(1).strip() : null;
  }
}
