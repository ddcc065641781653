package dev.orchestra.check;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * A critic's judgement, {@code {"pass": bool, "reason": "…"}}, found in its free-form final
 * message.
 *
 * @param pass whether the work passes
 * @param reason why, or {@code null} when the critic gave none
 */
public record Verdict(boolean pass, String reason) {

  /** Only the end of a long answer is searched: the verdict is asked for last. */
  static final int SEARCHED_CHARS = 64 * 1024;

  // Models write JSON loosely: single quotes, unquoted names, trailing commas, comments.
  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .build();

  /**
   * The last JSON object in {@code message} that has a {@code pass} of {@code true} or {@code
   * false} (a boolean, or those words as a string), wherever it stands: in a code fence, amid
   * prose, or nested in another object. Empty when there is none.
   *
   * <p>Every {@code {} is tried as the start of an object, skipping those inside an object already
   * read, so the cost is linear in the message for well-formed text and at worst quadratic in the
   * {@link #SEARCHED_CHARS} searched.
   */
  public static Optional<Verdict> parse(String message) {
    if (message == null || message.isEmpty()) {
      return Optional.empty();
    }
    String text =
        message.length() > SEARCHED_CHARS
            ? message.substring(message.length() - SEARCHED_CHARS)
            : message;
    Verdict last = null;
    int from = 0;
    while (true) {
      int start = text.indexOf('{', from);
      if (start < 0) {
        return Optional.ofNullable(last);
      }
      int end = -1;
      try (JsonParser p = LENIENT.createParser(text.substring(start))) {
        JsonNode node = LENIENT.readTree(p);
        end = start + (int) p.currentLocation().getCharOffset();
        Verdict v = find(node);
        if (v != null) {
          last = v;
        }
      } catch (IOException | RuntimeException e) {
        // Not an object here (prose with a brace, a truncated object): try the next brace.
      }
      from = end > start ? end : start + 1;
    }
  }

  /** The verdict in {@code node} itself, else the last one nested in it. */
  private static Verdict find(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      Boolean pass = pass(node.get("pass"));
      if (pass != null) {
        JsonNode reason = node.get("reason");
        return new Verdict(
            pass, reason == null || reason.isNull() ? null : reason.asText().strip());
      }
    }
    Verdict last = null;
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      Verdict v = find(it.next());
      if (v != null) {
        last = v;
      }
    }
    return last;
  }

  private static Boolean pass(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      String s = value.textValue().strip().toLowerCase(Locale.ROOT);
      if (s.equals("true")) {
        return true;
      }
      if (s.equals("false")) {
        return false;
      }
    }
    return null;
  }
}
