package dev.orchestra.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The published JSON Schemas on core's class path, and what they say of a document. */
public final class JsonSchemas {
  public static final String EVENT = "/dev/orchestra/event/event.schema.json";
  public static final String RUN_STATE = "/dev/orchestra/state/run-state.schema.json";
  public static final ObjectMapper JSON = new ObjectMapper();

  private JsonSchemas() {}

  /** The schema's own JSON. */
  public static JsonNode tree(String resource) {
    try (InputStream in = JsonSchemas.class.getResourceAsStream(resource)) {
      assertThat(in).as("schema on the class path at " + resource).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the schema finds wrong with {@code json}, sorted; empty when it is valid. */
  public static List<String> violations(String resource, String json) {
    try {
      return violations(resource, JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the schema finds wrong with {@code document}, sorted; empty when it is valid. */
  public static List<String> violations(String resource, JsonNode document) {
    JsonSchema s =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(tree(resource));
    return s.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
