package dev.orchestra.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a {@code text/event-stream} response, one event at a time, flushed as it goes. */
public final class Sse {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OutputStream out;

  private Sse(OutputStream out) {
    this.out = out;
  }

  /** Sends 200 with the event-stream headers; the body is chunked. */
  public static Sse start(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return new Sse(exchange.getResponseBody());
  }

  /** An event with a name ({@code event:}) and a JSON {@code data:} line. */
  public void event(String name, Object data) throws IOException {
    write((name == null ? "" : "event: " + name + "\n") + "data: " + json(data) + "\n\n");
  }

  /** An unnamed {@code data:} event. */
  public void data(Object data) throws IOException {
    event(null, data);
  }

  /** Writes {@code text} as is (e.g. {@code data: [DONE]}). */
  public void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Writes a complete JSON response (not a stream) with {@code status}. */
  public static void json(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String json(Object data) throws JsonProcessingException {
    return data instanceof String s ? s : JSON.writeValueAsString(data);
  }
}
