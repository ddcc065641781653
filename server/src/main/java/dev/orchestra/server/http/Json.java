package dev.orchestra.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The API's JSON: records and maps written with snake_case names, times as ISO-8601 strings;
 * request bodies read as trees with duplicate keys refused. Thread-safe.
 */
public final class Json {
  /** The mapper every answer is written with. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  private Json() {}

  /** Answers {@code body} as JSON with {@code status}. */
  public static void send(Context ctx, int status, Object body) {
    try {
      ctx.status(status).contentType("application/json").result(MAPPER.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer that cannot be written as JSON: " + e, e);
    }
  }

  /** Answers a JSON text written by other means (an event, the OpenAPI document). */
  public static void sendRaw(Context ctx, int status, String json) {
    ctx.status(status).contentType("application/json").result(json);
  }

  /** Answers {@code error} as {@code {"error": {...}}}. */
  public static void sendError(Context ctx, ApiException error) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode e = body.putObject("error");
    e.put("code", error.code());
    e.put("message", error.getMessage());
    if (!error.problems().isEmpty()) {
      e.set("problems", MAPPER.valueToTree(error.problems()));
    }
    send(ctx, error.status(), body);
  }

  /**
   * The request's body as a JSON object.
   *
   * @throws ApiException 400 when there is no body or it is not one JSON object, naming where it
   *     broke; 413 (from the server's size limit) when it is too large
   */
  public static ObjectNode object(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw ApiException.badRequest(
          "the request has no body; send a JSON object (Content-Type: application/json)");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ApiException.badRequest(
          "the request body is not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + e.getOriginalMessage().replaceAll("\\s+", " ").strip());
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      throw ApiException.badRequest(
          "the request body must be a JSON object, was "
              + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return object;
  }

  /**
   * The text field {@code name} of {@code body}, or {@code null} when absent.
   *
   * @throws ApiException 400 when it is present but not a string
   */
  public static String text(ObjectNode body, String name) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ApiException.badRequest(
          "\""
              + name
              + "\" must be a string, was "
              + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return v.asText();
  }

  /** A map with one entry, for small answers. */
  public static Map<String, Object> of(String key, Object value) {
    return java.util.Collections.singletonMap(key, value);
  }
}
