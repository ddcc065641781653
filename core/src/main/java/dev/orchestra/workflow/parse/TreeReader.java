package dev.orchestra.workflow.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import dev.orchestra.workflow.parse.Tree.ScalarType;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML or JSON text into a positioned {@link Tree} with Jackson's streaming parser, which
 * reports 1-based line and column of every token for both formats. Syntax errors become one {@link
 * Problem} at the place the underlying parser names. Immutable and thread-safe; each call uses its
 * own parser.
 */
final class TreeReader {
  /** Workflows of tens of thousands of nodes are legitimate; SnakeYAML's default cap is 3 MB. */
  private static final int MAX_YAML_CODE_POINTS = 256 * 1024 * 1024;

  private final JsonFactory yaml;
  private final JsonFactory json;

  TreeReader() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_YAML_CODE_POINTS);
    this.yaml = YAMLFactory.builder().loaderOptions(options).build();
    this.json = new JsonFactory();
  }

  /** The outcome of reading: a tree, or a syntax problem (then {@code tree} is {@code null}). */
  record Outcome(Tree tree, Problem problem) {}

  Outcome read(Path file, String content, boolean asJson) {
    JsonFactory factory = asJson ? json : yaml;
    try (JsonParser p = factory.createParser(content)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return new Outcome(
            null,
            new Problem(
                new SourcePosition(file, 1, 1),
                "the file is empty; a workflow needs at least 'version: 1' and 'nodes'"));
      }
      Tree root = value(p, file);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        return new Outcome(
            null,
            new Problem(
                position(file, p.currentTokenLocation()),
                "the file holds more than one document; keep one workflow per file"));
      }
      return new Outcome(root, null);
    } catch (JsonProcessingException e) {
      return new Outcome(null, syntaxProblem(file, e, asJson));
    } catch (IOException e) {
      // Reading from a String cannot fail for I/O reasons; anything else is a parser failure.
      return new Outcome(
          null, new Problem(SourcePosition.unknown(file), "cannot parse the file: " + e));
    }
  }

  private static Tree value(JsonParser p, Path file) throws IOException {
    JsonToken t = p.currentToken();
    SourcePosition at = position(file, p.currentTokenLocation());
    switch (t) {
      case START_OBJECT:
        return mapping(p, file, at);
      case START_ARRAY:
        List<Tree> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(p, file));
        }
        return new Sequence(at, items);
      case VALUE_STRING:
      case VALUE_EMBEDDED_OBJECT:
        return new Scalar(at, p.getText(), ScalarType.STRING);
      case VALUE_NUMBER_INT:
        return new Scalar(at, p.getText(), ScalarType.INTEGER);
      case VALUE_NUMBER_FLOAT:
        return new Scalar(at, p.getText(), ScalarType.DECIMAL);
      case VALUE_TRUE:
      case VALUE_FALSE:
        return new Scalar(at, p.getText(), ScalarType.BOOLEAN);
      case VALUE_NULL:
        return new Scalar(at, p.getText(), ScalarType.NULL);
      default:
        throw new IllegalStateException("unexpected token " + t + " at " + at);
    }
  }

  private static Mapping mapping(JsonParser p, Path file, SourcePosition at) throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<Entry> duplicates = new ArrayList<>(0);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      SourcePosition keyAt = position(file, p.currentTokenLocation());
      p.nextToken();
      Entry entry = new Entry(key, keyAt, value(p, file));
      if (entries.putIfAbsent(key, entry) != null) {
        duplicates.add(entry);
      }
    }
    return new Mapping(at, entries, duplicates);
  }

  private static SourcePosition position(Path file, JsonLocation location) {
    return new SourcePosition(file, location.getLineNr(), location.getColumnNr());
  }

  private static Problem syntaxProblem(Path file, JsonProcessingException e, boolean asJson) {
    // SnakeYAML knows the exact place and a short problem text; Jackson's own location for YAML
    // is the last token it saw, which can be a line earlier.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        Mark mark = y.getProblemMark();
        String message = cleanYaml(y.getProblem());
        if (y.getContext() != null) {
          message = message + " (" + cleanYaml(y.getContext()) + contextPlace(y) + ")";
        }
        return new Problem(
            new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1),
            "YAML syntax error: " + message);
      }
    }
    JsonLocation l = e.getLocation();
    SourcePosition at = l == null ? SourcePosition.unknown(file) : position(file, l);
    String message = e.getOriginalMessage();
    message = message.replaceAll(" \\(code \\d+\\)", "").replaceAll("\\s+", " ").strip();
    return new Problem(at, (asJson ? "JSON" : "YAML") + " syntax error: " + message);
  }

  private static String contextPlace(MarkedYAMLException y) {
    Mark m = y.getContextMark();
    return m == null
        ? ""
        : " started at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
  }

  private static String cleanYaml(String text) {
    return text.replace("'\\t(TAB)'", "tab").replace("\\t(TAB)", "tab").strip();
  }
}
