package dev.orchestra.agents.price;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.Price;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * List prices of models whose CLIs report tokens but no cost (Codex, Gemini CLI), keyed by model
 * name. The {@linkplain #standard() standard table} is the resource {@code prices.json} next to
 * this class; it records the date and source of its prices, which are estimates: costs computed
 * from it are marked as such ({@link dev.orchestra.event.Usage#costEstimated()}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {

  static final String RESOURCE = "prices.json";

  private final Map<String, Price> byModel;
  private final String asOf;
  private final Map<String, String> sources;

  private PriceTable(Map<String, Price> byModel, String asOf, Map<String, String> sources) {
    this.byModel = Collections.unmodifiableMap(byModel);
    this.asOf = asOf;
    this.sources = Collections.unmodifiableMap(sources);
  }

  /** The table shipped with Orchestra. */
  public static PriceTable standard() {
    return Standard.TABLE;
  }

  /** Loaded once, on first use. */
  private static final class Standard {
    static final PriceTable TABLE = load();

    private static PriceTable load() {
      try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new OrchestraException(
              "the price table '" + RESOURCE + "' is missing from the orchestra-agents jar");
        }
        return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new OrchestraException("cannot read the price table '" + RESOURCE + "'", e);
      }
    }
  }

  /**
   * Parses a table in the format of {@code prices.json}: {@code as_of}, {@code sources} and {@code
   * models: {NAME: {input_per_mtok, output_per_mtok, cached_input_per_mtok?}}}.
   *
   * @throws OrchestraException naming the model and key when an entry is malformed
   */
  public static PriceTable parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new OrchestraException("the price table is not valid JSON: " + e.getMessage(), e);
    }
    Map<String, Price> models = new LinkedHashMap<>();
    JsonNode list = root.path("models");
    for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      models.put(e.getKey(), price(e.getKey(), e.getValue()));
    }
    Map<String, String> sources = new LinkedHashMap<>();
    root.path("sources")
        .fields()
        .forEachRemaining(e -> sources.put(e.getKey(), e.getValue().asText()));
    return new PriceTable(models, root.path("as_of").asText(null), sources);
  }

  private static Price price(String model, JsonNode node) {
    try {
      return new Price(
          number(model, node, "input_per_mtok", true),
          number(model, node, "output_per_mtok", true),
          number(model, node, "cached_input_per_mtok", false));
    } catch (IllegalArgumentException e) {
      throw new OrchestraException("price of model '" + model + "': " + e.getMessage(), e);
    }
  }

  private static BigDecimal number(String model, JsonNode node, String key, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        throw new OrchestraException("price of model '" + model + "' has no '" + key + "'");
      }
      return null;
    }
    if (!value.isNumber()) {
      throw new OrchestraException(
          "price of model '" + model + "': '" + key + "' must be a number, was " + value);
    }
    return value.decimalValue();
  }

  /**
   * The price of {@code model}: its own entry, else the entry of the longest listed name that
   * {@code model} extends with a {@code -} suffix (a dated snapshot such as {@code
   * gpt-5-2025-08-07} or {@code gemini-2.5-pro-preview-06-05}). A gateway's {@code provider/model}
   * spelling is looked up by the part after the last {@code /}. A name that only shares a prefix
   * (e.g. {@code gpt-5.9} and {@code gpt-5}) is not a match: a wrong price is worse than none.
   */
  public Optional<Price> find(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    String name = model.strip();
    int slash = name.lastIndexOf('/');
    if (slash >= 0) {
      name = name.substring(slash + 1);
    }
    Price exact = byModel.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    String best = null;
    for (String key : byModel.keySet()) {
      if (name.startsWith(key + "-") && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return Optional.ofNullable(best == null ? null : byModel.get(best));
  }

  /** When the prices were last checked (e.g. {@code 2026-07}), or {@code null}. */
  public String asOf() {
    return asOf;
  }

  /** Where the prices come from: provider → pricing page URL. */
  public Map<String, String> sources() {
    return sources;
  }

  /** The listed model names, in the table's order. */
  public java.util.Set<String> models() {
    return byModel.keySet();
  }
}
