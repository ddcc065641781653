package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The published JSON Schema accepts the examples and agrees with the parser on every key. */
class WorkflowSchemaTest {
  static final String SCHEMA = "/dev/orchestra/workflow/workflow.schema.json";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode schemaTree() {
    try (InputStream in = WorkflowSchemaTest.class.getResourceAsStream(SCHEMA)) {
      assertThat(in).as("schema on the classpath at " + SCHEMA).isNotNull();
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema schema() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schemaTree());
  }

  private static JsonNode read(Path file) {
    try {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      return (name.endsWith(".json") ? JSON : YAML).readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> violations(JsonNode document) {
    return schema().validate(document).stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> violations(String yaml) {
    try {
      return violations(YAML.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's {@code examples/} directory, found by walking up from the module. */
  static Path repositoryExamples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path examples = dir.resolve("examples");
      if (Files.isDirectory(examples) && Files.exists(dir.resolve("mvnw"))) {
        return examples;
      }
    }
    return null;
  }

  private static List<Path> workflowFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<DynamicTest> validatesAndParses(List<Path> files) {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files) {
      tests.add(
          DynamicTest.dynamicTest(
              file.getFileName().toString(),
              () -> {
                assertThat(violations(read(file))).as("schema violations in " + file).isEmpty();
                assertThat(WorkflowParser.create().parse(file).problems())
                    .as("parser problems in " + file)
                    .isEmpty();
              }));
    }
    return tests;
  }

  @TestFactory
  List<DynamicTest> acceptsTheExamplesKeptWithTheTests() {
    Path dir = RoundTripTest.resource("complete.yaml").getParent();
    List<Path> files = workflowFiles(dir);
    assertThat(files)
        .extracting(f -> f.getFileName().toString())
        .contains("complete.yaml", "complete.json", "spec-example.yaml");
    return validatesAndParses(files);
  }

  @TestFactory
  List<DynamicTest> acceptsEveryExampleOfTheRepository() {
    Path examples = repositoryExamples();
    assumeTrue(examples != null, "no examples/ directory in this checkout yet");
    List<Path> files = workflowFiles(examples);
    assumeTrue(!files.isEmpty(), "examples/ holds no workflow files yet");
    return validatesAndParses(files);
  }

  @Test
  void agreesWithTheParserOnTheKeysOfEveryKindOfObject() {
    JsonNode schema = schemaTree();
    JsonNode definitions = schema.get("definitions");
    Set<String> kindsWithProperties = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().has("properties")) {
        kindsWithProperties.add(e.getKey());
      }
    }
    kindsWithProperties.add("workflow");
    assertThat(kindsWithProperties).isEqualTo(new TreeSet<>(WorkflowParser.KNOWN_KEYS.keySet()));
    for (Map.Entry<String, Set<String>> kind : WorkflowParser.KNOWN_KEYS.entrySet()) {
      JsonNode object = kind.getKey().equals("workflow") ? schema : definitions.get(kind.getKey());
      Set<String> schemaKeys = new TreeSet<>();
      object.get("properties").fieldNames().forEachRemaining(schemaKeys::add);
      assertThat(schemaKeys)
          .as("keys of " + kind.getKey())
          .isEqualTo(new TreeSet<>(kind.getValue()));
      assertThat(object.get("additionalProperties").asBoolean(true))
          .as("additionalProperties of " + kind.getKey())
          .isFalse();
    }
  }

  @Test
  void describesEveryKeyForEditors() {
    JsonNode schema = schemaTree();
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(schema, "", undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(JsonNode node, String path, List<String> out) {
    if (!node.isObject()) {
      return;
    }
    JsonNode properties = node.get("properties");
    if (properties != null) {
      properties
          .fields()
          .forEachRemaining(
              e -> {
                JsonNode p = e.getValue();
                boolean pointsAtDescribedKey =
                    p.has("$ref") && p.get("$ref").asText().contains("/properties/");
                if (!p.has("description") && !pointsAtDescribedKey) {
                  out.add(path + "/" + e.getKey());
                }
              });
    }
    node.fields()
        .forEachRemaining(e -> collectUndescribed(e.getValue(), path + "/" + e.getKey(), out));
  }

  @Test
  void rejectsUnknownKeyBadDurationAndCheckWithTwoTypes() {
    assertThat(violations("version: 1\nnodes:\n  a: {prompt: p, need: [b]}\n"))
        .anyMatch(m -> m.contains("need"));
    assertThat(violations("version: 1\nnodes:\n  a: {prompt: p, timeout: 5 minutes}\n"))
        .anyMatch(m -> m.contains("timeout"));
    assertThat(violations("version: 1\nnodes:\n  a: {checks: [{run: make, exists: x}]}\n"))
        .isNotEmpty();
    assertThat(violations("nodes:\n  a: {prompt: p}\n")).anyMatch(m -> m.contains("version"));
    assertThat(violations("version: 1\nnodes:\n  a: {prompt: p, executor: cloud}\n"))
        .anyMatch(m -> m.contains("executor"));
    assertThat(violations("version: 1\ndefaults: {needs: [a]}\nnodes:\n  a: {prompt: p}\n"))
        .anyMatch(m -> m.contains("needs"));
  }

  @Test
  void acceptsEveryDurationFormTheParserAccepts() {
    for (String d : List.of("90s", "5m", "1h30m", "2h", "500ms", "PT5M", "1d", "1h30m15s250ms")) {
      assertThat(violations("version: 1\nnodes:\n  a: {prompt: p, timeout: " + d + "}\n"))
          .as(d)
          .isEmpty();
      assertThat(Durations.parse(d)).isPositive();
    }
  }
}
