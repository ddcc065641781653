package dev.orchestra.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Gemini API as Gemini CLI calls it: {@code POST
 * /v1beta/models/MODEL:streamGenerateContent?alt=sse}, answered with one server-sent {@code data:}
 * chunk holding the candidate's parts, {@code usageMetadata} and {@code modelVersion}. A {@link
 * Turn.WriteFile} becomes a {@code write_file} function call (the path relative to the working
 * directory); the CLI sends the result back in the next request as a {@code functionResponse}.
 */
public final class GeminiStream implements Protocol {
  /** The name to script turns under. */
  public static final String NAME = "gemini";

  private static final Pattern PATH =
      Pattern.compile("/v1(?:beta|alpha)?/models/([^/:?]+):streamGenerateContent(?:\\?.*)?");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean handles(String method, String path) {
    return "POST".equals(method) && PATH.matcher(path).matches();
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
    Matcher m = PATH.matcher(request.path());
    String model = m.matches() ? m.group(1) : "gemini-test";
    Map<String, Object> part;
    long input;
    long output;
    if (turn instanceof Turn.Text t) {
      part = Map.of("text", t.text());
      input = t.inputTokens();
      output = t.outputTokens();
    } else {
      Turn.WriteFile w = (Turn.WriteFile) turn;
      part =
          Map.of(
              "functionCall",
              Map.of(
                  "name",
                  "write_file",
                  "args",
                  Map.of("file_path", w.path(), "content", w.content())));
      input = 10;
      output = 5;
    }
    var candidate = new LinkedHashMap<String, Object>();
    candidate.put("content", Map.of("role", "model", "parts", List.of(part)));
    candidate.put("finishReason", "STOP");
    candidate.put("index", 0);
    var chunk = new LinkedHashMap<String, Object>();
    chunk.put("candidates", List.of(candidate));
    chunk.put(
        "usageMetadata",
        Map.of(
            "promptTokenCount", input,
            "candidatesTokenCount", output,
            "totalTokenCount", input + output));
    chunk.put("modelVersion", model);
    Sse sse = Sse.start(exchange);
    sse.data(chunk);
  }

  private static void fail(Turn.Fail f, HttpExchange exchange) throws IOException {
    String status =
        switch (f.status()) {
          case 400 -> "INVALID_ARGUMENT";
          case 401 -> "UNAUTHENTICATED";
          case 403 -> "PERMISSION_DENIED";
          case 429 -> "RESOURCE_EXHAUSTED";
          case 503 -> "UNAVAILABLE";
          default -> "INTERNAL";
        };
    var error = new LinkedHashMap<String, Object>();
    error.put("code", f.status());
    error.put("message", f.body());
    error.put("status", status);
    if (f.retryAfterSeconds() != null) {
      exchange.getResponseHeaders().set("retry-after", f.retryAfterSeconds().toString());
      error.put(
          "details",
          List.of(
              Map.of(
                  "@type",
                  "type.googleapis.com/google.rpc.RetryInfo",
                  "retryDelay",
                  f.retryAfterSeconds() + "s")));
    } else {
      error.put("details", List.of());
    }
    Sse.json(exchange, f.status(), Map.of("error", error));
  }
}
