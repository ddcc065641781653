package dev.orchestra.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenAI Responses API as Codex calls it: {@code POST …/responses} answered with the streaming
 * events {@code response.created}, {@code response.output_item.added}/{@code .done}, {@code
 * response.output_text.delta} and {@code response.completed} (with usage). A {@link Turn.WriteFile}
 * becomes an {@code exec_command} function call whose shell command writes the file in the working
 * directory; Codex sends its output back in the next request as a {@code function_call_output}.
 */
public final class OpenAiResponses implements Protocol {
  /** The name to script turns under. */
  public static final String NAME = "openai";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AtomicInteger ids = new AtomicInteger();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean handles(String method, String path) {
    int q = path.indexOf('?');
    return "POST".equals(method) && (q < 0 ? path : path.substring(0, q)).endsWith("/responses");
  }

  /** A final "done" once the script is used up. */
  @Override
  public Turn defaultTurn(RecordedRequest request) {
    return new Turn.Text("done");
  }

  @Override
  public void respond(Turn turn, RecordedRequest request, HttpExchange exchange)
      throws IOException {
    if (turn instanceof Turn.Fail f) {
      fail(f, exchange);
      return;
    }
    String id = "resp_" + ids.incrementAndGet();
    Sse sse = Sse.start(exchange);
    sse.event(
        "response.created",
        Map.of(
            "type",
            "response.created",
            "response",
            Map.of("id", id, "status", "in_progress", "output", List.of())));
    if (turn instanceof Turn.Text t) {
      String itemId = "msg_" + ids.incrementAndGet();
      sse.event(
          "response.output_item.added",
          Map.of(
              "type",
              "response.output_item.added",
              "output_index",
              0,
              "item",
              message(itemId, "in_progress", List.of())));
      sse.event(
          "response.output_text.delta",
          Map.of(
              "type",
              "response.output_text.delta",
              "item_id",
              itemId,
              "output_index",
              0,
              "content_index",
              0,
              "delta",
              t.text()));
      var content = Map.of("type", "output_text", "text", t.text(), "annotations", List.of());
      sse.event(
          "response.output_item.done",
          Map.of(
              "type",
              "response.output_item.done",
              "output_index",
              0,
              "item",
              message(itemId, "completed", List.of(content))));
      completed(sse, id, t.inputTokens(), t.outputTokens());
    } else if (turn instanceof Turn.WriteFile w) {
      var call = new LinkedHashMap<String, Object>();
      call.put("type", "function_call");
      call.put("id", "fc_" + ids.incrementAndGet());
      call.put("call_id", "call_" + ids.incrementAndGet());
      call.put("name", "exec_command");
      call.put("arguments", arguments(w));
      call.put("status", "completed");
      sse.event(
          "response.output_item.added",
          Map.of("type", "response.output_item.added", "output_index", 0, "item", call));
      sse.event(
          "response.output_item.done",
          Map.of("type", "response.output_item.done", "output_index", 0, "item", call));
      completed(sse, id, 10, 5);
    }
  }

  private static Map<String, Object> message(String id, String status, List<?> content) {
    var item = new LinkedHashMap<String, Object>();
    item.put("type", "message");
    item.put("id", id);
    item.put("role", "assistant");
    item.put("status", status);
    item.put("content", content);
    return item;
  }

  /** {@code {"cmd": "printf '%s' 'CONTENT' > 'PATH'"}}, single quotes escaped for the shell. */
  static String arguments(Turn.WriteFile w) throws JsonProcessingException {
    String cmd = "printf '%s' " + shellQuote(w.content()) + " > " + shellQuote(w.path());
    return JSON.writeValueAsString(Map.of("cmd", cmd));
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void completed(Sse sse, String id, long input, long output) throws IOException {
    var usage = new LinkedHashMap<String, Object>();
    usage.put("input_tokens", input);
    usage.put("input_tokens_details", Map.of("cached_tokens", 0));
    usage.put("output_tokens", output);
    usage.put("output_tokens_details", Map.of("reasoning_tokens", 0));
    usage.put("total_tokens", input + output);
    sse.event(
        "response.completed",
        Map.of(
            "type",
            "response.completed",
            "response",
            Map.of("id", id, "status", "completed", "usage", usage)));
  }

  private static void fail(Turn.Fail f, HttpExchange exchange) throws IOException {
    if (f.retryAfterSeconds() != null) {
      exchange.getResponseHeaders().set("retry-after", f.retryAfterSeconds().toString());
    }
    String code =
        switch (f.status()) {
          case 401 -> "invalid_api_key";
          case 429 -> "rate_limit_exceeded";
          default -> "server_error";
        };
    var error = new LinkedHashMap<String, Object>();
    error.put("message", f.body());
    error.put("type", f.status() == 429 ? "requests" : "invalid_request_error");
    error.put("param", null);
    error.put("code", code);
    Sse.json(exchange, f.status(), Map.of("error", error));
  }
}
