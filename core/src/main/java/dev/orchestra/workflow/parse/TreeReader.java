package dev.orchestra.workflow.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML or JSON text into a positioned {@link Tree} with Jackson's streaming parser, which
 * reports 1-based line and column of every token for both formats. Syntax errors become one {@link
 * Problem} at the place the underlying parser names. Immutable and thread-safe; each call uses its
 * own parser.
 */
final class TreeReader {
  /**
   * SnakeYAML's default cap is 3 MB, but workflows of tens of thousands of nodes are legitimate:
   * the cap is the parser's file size limit.
   */
  private static final int MAX_YAML_CODE_POINTS = (int) WorkflowParser.MAX_FILE_BYTES;

  /** The most values aliases may add to a document by repetition. */
  static final long MAX_ALIAS_EXPANSION = 1_000_000;

  /**
   * The deepest nesting of mappings and lists read. A workflow needs a handful of levels; the limit
   * stops a hostile document long before Jackson's own (1,000, reported without a position) or the
   * stack.
   */
  static final int MAX_DEPTH = 100;

  /**
   * The longest key read: the longest implicit key YAML allows (YAML 1.1, 7.4.2; SnakeYAML enforces
   * it), also for JSON and explicit YAML keys.
   */
  static final int MAX_KEY_CHARS = 1024;

  /**
   * How SnakeYAML reports the core schema's tags ({@code !!str} is {@code tag:yaml.org,2002:str}).
   */
  private static final String CORE_TAG_PREFIX = "tag:yaml.org,2002:";

  private static final Set<String> CORE_TAGS =
      Set.of("str", "int", "float", "bool", "null", "map", "seq").stream()
          .map(name -> CORE_TAG_PREFIX + name)
          .collect(Collectors.toUnmodifiableSet());

  private final JsonFactory yaml;
  private final JsonFactory json;

  TreeReader() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_YAML_CODE_POINTS);
    // Jackson's own limits would end the parse without a position; ours (the file's size, depth,
    // key length) come first and say where.
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxNameLength(Integer.MAX_VALUE)
            .maxStringLength(Integer.MAX_VALUE)
            .build();
    this.yaml = LinearYaml.factory(options, limits);
    this.json = JsonFactory.builder().streamReadConstraints(limits).build();
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
    } catch (RefusedDocument e) {
      return new Outcome(null, new Problem(e.position, e.getMessage()));
    } catch (JsonProcessingException e) {
      return new Outcome(null, syntaxProblem(file, content, e, asJson));
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
    private int depth;

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
          throw new RefusedDocument(
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
          throw new RefusedDocument(
              at,
              "YAML aliases expand to more than "
                  + MAX_ALIAS_EXPANSION
                  + " values; write the repeated parts out or use fewer aliases");
        }
        return target;
      }
      refuseTag(at);
      String anchor = yaml == null ? null : yaml.getCurrentAnchor();
      Tree tree = build(t, at);
      if (anchor != null) {
        anchors.put(anchor, tree);
      }
      return tree;
    }

    /**
     * Refuses a value tagged with anything but the YAML core schema's own tags: the parser would
     * drop an application tag such as {@code !include} silently and read the value as if it were
     * not there, so a file that means more than it says would pass validation.
     */
    private void refuseTag(SourcePosition at) throws IOException {
      String tag = yaml == null ? null : yaml.getTypeId();
      if (tag == null || CORE_TAGS.contains(tag)) {
        return;
      }
      String written =
          tag.startsWith(CORE_TAG_PREFIX)
              ? "!!" + tag.substring(CORE_TAG_PREFIX.length())
              : "!" + tag;
      throw new RefusedDocument(
          at,
          "the YAML tag '"
              + written
              + "' is not supported: a workflow is plain YAML, whose only tags are the core"
              + " schema's (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq); remove the tag,"
              + " or quote the value if the text is meant literally");
    }

    private Tree build(JsonToken t, SourcePosition at) throws IOException {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        if (++depth > MAX_DEPTH) {
          throw new RefusedDocument(
              at,
              "the file nests mappings and lists more than "
                  + MAX_DEPTH
                  + " levels deep here; a workflow needs a few levels (nodes, a node, its keys,"
                  + " their lists): look for an unclosed '[' or '{' or runaway indentation above");
        }
        try {
          return t == JsonToken.START_OBJECT ? mapping(at) : sequence(at);
        } finally {
          depth--;
        }
      }
      return switch (t) {
        case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> new Scalar(at, p.getText(), ScalarType.STRING);
        case VALUE_NUMBER_INT -> new Scalar(at, p.getText(), ScalarType.INTEGER);
        case VALUE_NUMBER_FLOAT -> new Scalar(at, p.getText(), ScalarType.DECIMAL);
        case VALUE_TRUE, VALUE_FALSE -> new Scalar(at, p.getText(), ScalarType.BOOLEAN);
        case VALUE_NULL -> new Scalar(at, p.getText(), ScalarType.NULL);
        default -> throw new IllegalStateException("unexpected token " + t + " at " + at);
      };
    }

    private Sequence sequence(SourcePosition at) throws IOException {
      List<Tree> items = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        items.add(value());
      }
      return new Sequence(at, items);
    }

    private Mapping mapping(SourcePosition at) throws IOException {
      Map<String, Entry> entries = new LinkedHashMap<>();
      List<Entry> duplicates = new ArrayList<>(0);
      List<Tree> merged = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        SourcePosition keyAt = position(file, p.currentTokenLocation());
        if (key.length() > MAX_KEY_CHARS) {
          throw new RefusedDocument(keyAt, longKeyMessage(key));
        }
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

  /** A document the tree refuses: an alias unknown or expanding too far, nesting too deep. */
  private static final class RefusedDocument extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SourcePosition position;

    RefusedDocument(SourcePosition position, String message) {
      super(message);
      this.position = position;
    }
  }

  private static SourcePosition position(Path file, JsonLocation location) {
    return new SourcePosition(file, location.getLineNr(), location.getColumnNr());
  }

  private static Problem syntaxProblem(
      Path file, String content, JsonProcessingException e, boolean asJson) {
    // SnakeYAML knows the exact place and a short problem text; Jackson's own location for YAML
    // is the last token it saw, which can be a line earlier.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof MarkedYAMLException y && y.getProblemMark() != null) {
        Mark mark = y.getProblemMark();
        Problem longKey = longKey(file, content, y.getProblem(), mark);
        if (longKey != null) {
          return longKey;
        }
        String message = cleanYaml(y.getProblem());
        if (y.getContext() != null) {
          message = message + " (" + cleanYaml(y.getContext()) + contextPlace(y) + ")";
        }
        return new Problem(
            new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1),
            "YAML syntax error: " + message);
      }
      if (c instanceof ReaderException r) {
        return new Problem(
            at(file, content, r.getPosition()),
            "YAML syntax error: the character U+"
                + String.format(Locale.ROOT, "%04X", r.getCodePoint())
                + " is not allowed in YAML (control characters must be written as escapes such as"
                + " \\u0001 inside double quotes)");
      }
    }
    JsonLocation l = e.getLocation();
    SourcePosition at = l == null ? SourcePosition.unknown(file) : position(file, l);
    String message = e.getOriginalMessage();
    message = message.replaceAll(" \\(code \\d+\\)", "").replaceAll("\\s+", " ").strip();
    return new Problem(at, (asJson ? "JSON" : "YAML") + " syntax error: " + message);
  }

  /**
   * SnakeYAML's "mapping values are not allowed here" for a key longer than YAML allows, in words
   * that say so, at the key; {@code null} for any other problem.
   */
  private static Problem longKey(Path file, String content, String problem, Mark mark) {
    if (problem == null
        || !problem.startsWith("mapping values are not allowed")
        || mark.getColumn() <= MAX_KEY_CHARS) {
      return null;
    }
    String line = lineOf(content, mark.getLine());
    if (line == null) {
      return null;
    }
    int end =
        line.offsetByCodePoints(
            0, Math.min(mark.getColumn(), line.codePointCount(0, line.length())));
    int start = 0;
    while (start < end && (line.charAt(start) == ' ' || line.charAt(start) == '-')) {
      start++;
    }
    String key = line.substring(start, end).stripTrailing();
    if (key.codePointCount(0, key.length()) <= MAX_KEY_CHARS || key.contains(": ")) {
      return null;
    }
    return new Problem(
        new SourcePosition(file, mark.getLine() + 1, line.codePointCount(0, start) + 1),
        longKeyMessage(key));
  }

  /** What is wrong with {@code key}, longer than {@link #MAX_KEY_CHARS}. */
  private static String longKeyMessage(String key) {
    return "a key of "
        + key.codePointCount(0, key.length())
        + " characters ('"
        + key.substring(0, 20)
        + "…'); keys may be at most "
        + MAX_KEY_CHARS
        + " characters (as YAML allows), and a workflow's keys, node ids and names are short"
        + " words: shorten it";
  }

  /** Line {@code line} (0-based) of {@code content}, or {@code null} past its end. */
  private static String lineOf(String content, int line) {
    int start = 0;
    for (int i = 0; i < line; i++) {
      int next = content.indexOf('\n', start);
      if (next < 0) {
        return null;
      }
      start = next + 1;
    }
    int end = content.indexOf('\n', start);
    return content.substring(start, end < 0 ? content.length() : end);
  }

  /** The position of the code point at {@code index} of {@code content}. */
  private static SourcePosition at(Path file, String content, int index) {
    int line = 1;
    int column = 1;
    int offset = 0;
    for (int i = 0; i < index && offset < content.length(); i++) {
      int cp = content.codePointAt(offset);
      offset += Character.charCount(cp);
      if (cp == '\n') {
        line++;
        column = 1;
      } else if (cp != '\r') {
        column++;
      }
    }
    return new SourcePosition(file, line, column);
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
