package dev.orchestra.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** One model API the {@link ScriptedModelServer} speaks (Anthropic Messages, OpenAI Responses…). */
public interface Protocol {

  /** The name tests script turns under: {@code anthropic}, {@code openai}, {@code gemini}. */
  String name();

  /** Whether a request is for this API; {@code path} includes the query. */
  boolean handles(String method, String path);

  /** Writes {@code turn} as the response (status, headers, the streamed body) and closes it. */
  void respond(Turn turn, RecordedRequest request, HttpExchange exchange) throws IOException;

  /** The turn to play when the script is empty, e.g. a final text after a tool result. */
  Turn defaultTurn(RecordedRequest request);
}
