package dev.orchestra.workflow.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
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
import java.util.HashMap;
import java.util.IdentityHashMap;
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

  /** The most values aliases may add to a document by repetition. */
  static final long MAX_ALIAS_EXPANSION = 1_000_000;

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
      Tree root = new Builder(p, file).value();
      JsonToken extra = p.nextToken();
      if (extra != null) {
        return new Outcome(
            null,
            new Problem(
                position(file, p.currentTokenLocation()),
                "the file holds more than one document; keep one workflow per file"));
      }
      return new Outcome(root, null);
    } catch (AliasException e) {
      return new Outcome(null, new Problem(e.position, e.getMessage()));
    } catch (JsonProcessingException e) {
      return new Outcome(null, syntaxProblem(file, e, asJson));
    } catch (IOException e) {
      // Reading from a String cannot fail for I/O reasons; anything else is a parser failure.
      return new Outcome(
          null, new Problem(SourcePosition.unknown(file), "cannot parse the file: " + e));
    }
  }

  /**
   * Builds the tree of one document. YAML anchors are remembered so that aliases ({@code *name})
   * stand for the anchored value and merge keys ({@code <<: *name}) add the anchored mapping's
   * entries that the mapping does not set itself; positions of reused values are those where the
   * anchor was defined.
   */
  private static final class Builder {
    private final JsonParser p;
    private final Path file;
    private final YAMLParser yaml;
    private final Map<String, Tree> anchors = new HashMap<>();
    private final IdentityHashMap<Tree, Long> weights = new IdentityHashMap<>();
    private long expanded;

    Builder(JsonParser p, Path file) {
      this.p = p;
      this.file = file;
      this.yaml = p instanceof YAMLParser y ? y : null;
    }

    Tree value() throws IOException {
      JsonToken t = p.currentToken();
      SourcePosition at = position(file, p.currentTokenLocation());
      if (yaml != null && yaml.isCurrentAlias()) {
        Tree target = anchors.get(p.getText());
        if (target == null) {
          throw new AliasException(
              at,
              "YAML alias '*"
                  + p.getText()
                  + "' names no anchor defined above it; define '&"
                  + p.getText()
                  + "' first");
        }
        // Aliases of aliases can describe a tree exponentially larger than the file (a "billion
        // laughs" document); everything downstream walks the expanded tree, so cap it.
        expanded += weight(target);
        if (expanded > MAX_ALIAS_EXPANSION) {
          throw new AliasException(
              at,
              "YAML aliases expand to more than "
                  + MAX_ALIAS_EXPANSION
                  + " values; write the repeated parts out or use fewer aliases");
        }
        return target;
      }
      String anchor = yaml == null ? null : yaml.getCurrentAnchor();
      Tree tree = build(t, at);
      if (anchor != null) {
        anchors.put(anchor, tree);
      }
      return tree;
    }

    private Tree build(JsonToken t, SourcePosition at) throws IOException {
      return switch (t) {
        case START_OBJECT -> mapping(at);
        case START_ARRAY -> {
          List<Tree> items = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(value());
          }
          yield new Sequence(at, items);
        }
        case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> new Scalar(at, p.getText(), ScalarType.STRING);
        case VALUE_NUMBER_INT -> new Scalar(at, p.getText(), ScalarType.INTEGER);
        case VALUE_NUMBER_FLOAT -> new Scalar(at, p.getText(), ScalarType.DECIMAL);
        case VALUE_TRUE, VALUE_FALSE -> new Scalar(at, p.getText(), ScalarType.BOOLEAN);
        case VALUE_NULL -> new Scalar(at, p.getText(), ScalarType.NULL);
        default -> throw new IllegalStateException("unexpected token " + t + " at " + at);
      };
    }

    private Mapping mapping(SourcePosition at) throws IOException {
      Map<String, Entry> entries = new LinkedHashMap<>();
      List<Entry> duplicates = new ArrayList<>(0);
      List<Tree> merged = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        SourcePosition keyAt = position(file, p.currentTokenLocation());
        p.nextToken();
        boolean mergeKey = yaml != null && key.equals("<<") && yaml.isCurrentAlias();
        Entry entry = new Entry(key, keyAt, value());
        if (mergeKey || (yaml != null && key.equals("<<") && isMappings(entry.value()))) {
          merged = merged == null ? new ArrayList<>(1) : merged;
          merged.add(entry.value());
        } else if (entries.putIfAbsent(key, entry) != null) {
          duplicates.add(entry);
        }
      }
      if (merged != null) {
        for (Tree source : merged) {
          for (Tree m : source instanceof Sequence s ? s.items() : List.of(source)) {
            if (m instanceof Mapping from) {
              from.entries().values().forEach(e -> entries.putIfAbsent(e.key(), e));
            }
          }
        }
      }
      return new Mapping(at, entries, duplicates);
    }

    /** The number of values in {@code t}, counting shared subtrees at each use; memoized. */
    private long weight(Tree t) {
      Long known = weights.get(t);
      if (known != null) {
        return known;
      }
      long w = 1;
      if (t instanceof Sequence s) {
        for (Tree item : s.items()) {
          w += weight(item);
        }
      } else if (t instanceof Mapping m) {
        for (Entry e : m.entries().values()) {
          w += weight(e.value());
        }
      }
      weights.put(t, w);
      return w;
    }

    private static boolean isMappings(Tree t) {
      return t instanceof Mapping
          || (t instanceof Sequence s && s.items().stream().allMatch(i -> i instanceof Mapping));
    }
  }

  /** An alias that cannot be resolved: unknown, or expanding too far. */
  private static final class AliasException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SourcePosition position;

    AliasException(SourcePosition position, String message) {
      super(message);
      this.position = position;
    }
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
