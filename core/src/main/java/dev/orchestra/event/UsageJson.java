package dev.orchestra.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The one JSON form of {@link Usage}, in events ({@link EventJson}) and in the run records ({@code
 * usage.json}, {@code result.json}): {@code {"input_tokens", "output_tokens", "cost_usd"}} plus
 * {@code "cost_estimated": true} when the cost comes from a price table. A missing or malformed
 * usage reads as {@link Usage#ZERO}: nothing was reported, so nothing was spent that Orchestra
 * knows of. Costs are read as decimals, never as doubles. Stateless.
 */
public final class UsageJson {
  /** The field that holds a usage in an event or a record. */
  public static final String FIELD = "usage";

  private UsageJson() {}

  /** Writes {@code usage} as the field {@value #FIELD} of the object being generated. */
  public static void write(JsonGenerator g, Usage usage) throws IOException {
    g.writeObjectFieldStart(FIELD);
    g.writeNumberField("input_tokens", usage.inputTokens());
    g.writeNumberField("output_tokens", usage.outputTokens());
    g.writeNumberField("cost_usd", usage.costUsd());
    if (usage.costEstimated()) {
      g.writeBooleanField("cost_estimated", true);
    }
    g.writeEndObject();
  }

  /** Sets {@code usage} as the field {@value #FIELD} of {@code parent}. */
  public static void put(ObjectNode parent, Usage usage) {
    ObjectNode u = parent.putObject(FIELD);
    u.put("input_tokens", usage.inputTokens());
    u.put("output_tokens", usage.outputTokens());
    u.put("cost_usd", usage.costUsd());
    if (usage.costEstimated()) {
      u.put("cost_estimated", true);
    }
  }

  /**
   * The usage {@code u} holds (the value of a {@value #FIELD} field, or a whole {@code
   * usage.json}); {@link Usage#ZERO} when it is {@code null} or not an object. Read {@code
   * cost_usd} through a mapper with {@code USE_BIG_DECIMAL_FOR_FLOATS}, or its digits may already
   * be lost.
   */
  public static Usage read(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Usage.ZERO;
    }
    JsonNode cost = u.get("cost_usd");
    return new Usage(
        u.path("input_tokens").asLong(),
        u.path("output_tokens").asLong(),
        cost == null || !cost.isNumber() ? BigDecimal.ZERO : cost.decimalValue(),
        u.path("cost_estimated").asBoolean(false));
  }
}
