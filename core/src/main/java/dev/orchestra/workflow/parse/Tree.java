package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A YAML or JSON document as a small tree whose every node knows where it stands in the file. Both
 * formats are read into it by one code path ({@link TreeReader}), and the model is built from it.
 */
sealed interface Tree {

  /** Where this value's first token stands. */
  SourcePosition position();

  /** The kind of value, as error messages name it ("a mapping", "a list", "\"three\"", "2"). */
  String describe();

  /** The kinds of scalar YAML and JSON distinguish. */
  enum ScalarType {
    STRING,
    INTEGER,
    DECIMAL,
    BOOLEAN,
    NULL
  }

  /**
   * A scalar.
   *
   * @param text the scalar as written (for a boolean, as written, e.g. {@code yes})
   */
  record Scalar(SourcePosition position, String text, ScalarType type) implements Tree {
    boolean isString() {
      return type == ScalarType.STRING;
    }

    boolean booleanValue() {
      return type == ScalarType.BOOLEAN
          && BOOLEAN_TRUE.contains(text.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public String describe() {
      return switch (type) {
        case STRING -> text.isEmpty() ? "empty" : "\"" + text + "\"";
        case NULL -> "empty";
        default -> text;
      };
    }
  }

  /** Words YAML 1.1 reads as {@code true}. */
  java.util.Set<String> BOOLEAN_TRUE = java.util.Set.of("true", "yes", "on", "y");

  /** A list (YAML sequence, JSON array). */
  record Sequence(SourcePosition position, List<Tree> items) implements Tree {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A mapping (YAML mapping, JSON object), in file order.
   *
   * @param entries the entries, by key; for a key written twice, the first
   * @param duplicates entries whose key was already present, in file order
   */
  record Mapping(SourcePosition position, Map<String, Entry> entries, List<Entry> duplicates)
      implements Tree {
    @Override
    public String describe() {
      return "a mapping";
    }

    Tree get(String key) {
      Entry e = entries.get(key);
      return e == null ? null : e.value();
    }
  }

  /** One key of a mapping with its value. */
  record Entry(String key, SourcePosition keyPosition, Tree value) {}
}
