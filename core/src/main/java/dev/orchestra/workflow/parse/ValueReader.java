package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Scalar;
import dev.orchestra.workflow.parse.Tree.ScalarType;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads from a {@link Tree} that record a {@link Problem} and answer {@code null} when a
 * value has the wrong shape, so that reading goes on and every problem of a file is found in one
 * pass. Not thread-safe: one instance per parse.
 */
final class ValueReader {
  /**
   * Keys that other workflow tools use for what ours are called, so that a user coming from them
   * gets a suggestion even though the spelling is far off.
   */
  private static final Map<String, String> SYNONYMS =
      Map.ofEntries(
          Map.entry("depends_on", "needs"),
          Map.entry("dependencies", "needs"),
          Map.entry("after", "needs"),
          Map.entry("requires", "needs"),
          Map.entry("retries", "attempts"),
          Map.entry("max_attempts", "attempts"),
          Map.entry("cmd", "command"),
          Map.entry("script", "command"),
          Map.entry("environment", "env"),
          Map.entry("secrets", "credentials"),
          Map.entry("jobs", "nodes"),
          Map.entry("steps", "nodes"),
          Map.entry("tasks", "nodes"),
          Map.entry("instructions", "prompt"),
          Map.entry("container", "image"));

  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return problems;
  }

  void report(SourcePosition at, String message) {
    problems.add(new Problem(at, message));
  }

  /** Reports a problem with a suggestion ({@link Problem#hint()}); {@code hint} may be null. */
  void report(SourcePosition at, String message, String hint) {
    problems.add(new Problem(at, message, hint));
  }

  /**
   * The entries of {@code mapping}, after reporting duplicate keys and keys outside {@code known}
   * (each with a did-you-mean). {@code where} names the mapping in messages, e.g. {@code node
   * 'build'}.
   */
  List<Entry> entries(Mapping mapping, Set<String> known, String where) {
    duplicates(mapping, "key", " in " + where);
    List<Entry> accepted = new ArrayList<>(mapping.entries().size());
    for (Entry e : mapping.entries().values()) {
      if (known.contains(e.key())) {
        accepted.add(e);
      } else {
        unknownKey(e, known, where);
      }
    }
    return accepted;
  }

  void unknownKey(Entry e, Collection<String> known, String where) {
    String hint =
        Suggestions.closest(e.key(), known)
            .or(() -> Optional.ofNullable(SYNONYMS.get(e.key())).filter(known::contains))
            .map(s -> "did you mean '" + s + "'?")
            .orElseGet(() -> "valid keys are: " + String.join(", ", new TreeSet<>(known)));
    report(e.keyPosition(), "unknown key '" + e.key() + "' in " + where, hint);
  }

  /** Reports each key written twice, e.g. {@code duplicate node id 'build' (first defined ...)}. */
  void duplicates(Mapping mapping, String noun, String suffix) {
    for (Entry d : mapping.duplicates()) {
      Entry first = mapping.entries().get(d.key());
      report(
          d.keyPosition(),
          "duplicate "
              + noun
              + " '"
              + d.key()
              + "'"
              + suffix
              + " (first defined at line "
              + first.keyPosition().line()
              // Flow mappings can repeat a key on one line; the column tells which one.
              + (first.keyPosition().line() == d.keyPosition().line()
                  ? ", column " + first.keyPosition().column()
                  : "")
              + ")");
    }
  }

  /** {@code value} as a mapping, or {@code null} after reporting it is not one. */
  Mapping mapping(Tree value, String label, String expected) {
    if (value instanceof Mapping m) {
      return m;
    }
    wrongType(value, label, expected);
    return null;
  }

  Sequence sequence(Tree value, String label, String expected) {
    if (value instanceof Sequence s) {
      return s;
    }
    wrongType(value, label, expected);
    return null;
  }

  void wrongType(Tree value, String label, String expected) {
    report(value.position(), label + " must be " + expected + ", was " + value.describe());
  }

  /** A string; numbers and booleans are refused with a hint to quote them. */
  String string(Tree value, String label) {
    if (value instanceof Scalar s && s.isString()) {
      return s.text();
    }
    if (value instanceof Scalar s && s.type() != ScalarType.NULL) {
      report(
          value.position(),
          label + " must be a string, was " + s.text(),
          "quote it: \"" + s.text() + "\"");
      return null;
    }
    wrongType(value, label, "a string");
    return null;
  }

  /** A non-empty string. */
  String text(Tree value, String label) {
    String s = string(value, label);
    if (s != null && s.isBlank()) {
      report(value.position(), label + " must not be empty");
      return null;
    }
    return s;
  }

  /** Any scalar as text (environment values, inputs), for values that are strings in the end. */
  String scalarText(Tree value, String label) {
    if (value instanceof Scalar s && s.type() != ScalarType.NULL) {
      return s.text();
    }
    wrongType(value, label, "a string, number or boolean");
    return null;
  }

  Boolean bool(Tree value, String label) {
    if (value instanceof Scalar s && s.type() == ScalarType.BOOLEAN) {
      return s.booleanValue();
    }
    wrongType(value, label, "true or false");
    return null;
  }

  /** A positive integer that fits an {@code int}. */
  Integer positiveInt(Tree value, String label) {
    Long l = positiveLong(value, label);
    if (l == null) {
      return null;
    }
    if (l > Integer.MAX_VALUE) {
      report(value.position(), label + " must be at most " + Integer.MAX_VALUE + ", was " + l);
      return null;
    }
    return l.intValue();
  }

  Long positiveLong(Tree value, String label) {
    if (value instanceof Scalar s && s.type() == ScalarType.INTEGER) {
      try {
        long v = new BigDecimal(s.text().replace("_", "")).longValueExact();
        if (v > 0) {
          return v;
        }
      } catch (ArithmeticException e) {
        report(value.position(), label + " is too large, was " + s.text());
        return null;
      } catch (NumberFormatException e) {
        // YAML 1.1 integers such as 0x1F or 0o17: legal YAML, but not a count a user means.
        wrongType(value, label, "a positive integer in decimal");
        return null;
      }
    }
    wrongType(value, label, "a positive integer");
    return null;
  }

  /** A positive number (integer or decimal). */
  BigDecimal positiveNumber(Tree value, String label) {
    return number(value, label, 1, "a positive number");
  }

  /**
   * {@code number} (read from {@code value}) as a {@code double}, or {@code null} after reporting
   * that it is too large for one; {@code null} stays {@code null}.
   */
  Double toDouble(BigDecimal number, Tree value, String label) {
    if (number == null) {
      return null;
    }
    double d = number.doubleValue();
    if (Double.isInfinite(d)) {
      report(value.position(), label + " is too large, was " + ((Scalar) value).text());
      return null;
    }
    return d;
  }

  /** A number {@code >= 0}, such as a price that may be free. */
  BigDecimal nonNegativeNumber(Tree value, String label) {
    return number(value, label, 0, "a number >= 0");
  }

  /** A number whose sign is at least {@code minSignum}, or {@code null} after reporting it. */
  private BigDecimal number(Tree value, String label, int minSignum, String expected) {
    if (value instanceof Scalar s
        && (s.type() == ScalarType.INTEGER || s.type() == ScalarType.DECIMAL)) {
      try {
        BigDecimal v = new BigDecimal(s.text().replace("_", ""));
        if (v.signum() >= minSignum) {
          return v;
        }
      } catch (NumberFormatException e) {
        // Falls through: YAML forms such as .inf are numbers to YAML but not to us.
      }
    }
    wrongType(value, label, expected);
    return null;
  }

  /** A duration; {@code allowZero} for waits where "none" makes sense (backoff delay). */
  Duration duration(Tree value, String label, boolean allowZero) {
    if (!(value instanceof Scalar s) || !s.isString()) {
      wrongType(value, label, "a duration such as 90s, 5m, 1h30m or PT5M");
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(s.text());
    } catch (IllegalArgumentException e) {
      report(value.position(), label + ": " + e.getMessage());
      return null;
    }
    if (d.isNegative() || (d.isZero() && !allowZero)) {
      report(
          value.position(),
          label
              + " must be "
              + (allowZero ? "zero or more" : "longer than zero")
              + ", was "
              + s.text());
      return null;
    }
    return d;
  }

  /** One of {@code values} (lower case), with a did-you-mean. */
  String oneOf(Tree value, String label, List<String> values) {
    String s = value instanceof Scalar sc && sc.isString() ? sc.text() : null;
    if (s != null && values.contains(s)) {
      return s;
    }
    String hint =
        s == null
            ? null
            : Suggestions.closest(s, values).map(x -> "did you mean '" + x + "'?").orElse(null);
    report(
        value.position(),
        label + " must be one of " + String.join(", ", values) + "; was " + value.describe(),
        hint);
    return null;
  }

  /**
   * One of the constants of {@code type}, written in lower case ({@code docker} for {@code
   * DOCKER}), with a did-you-mean.
   */
  <E extends Enum<E>> E oneOf(Tree value, String label, Class<E> type) {
    E[] constants = type.getEnumConstants();
    List<String> names = new ArrayList<>(constants.length);
    for (E c : constants) {
      names.add(c.name().toLowerCase(Locale.ROOT));
    }
    String s = oneOf(value, label, names);
    return s == null ? null : constants[names.indexOf(s)];
  }

  /** A list of strings; a single string counts as a list of one when {@code single} allows. */
  List<String> strings(Tree value, String label, boolean single) {
    if (single && value instanceof Scalar s && s.isString()) {
      return List.of(s.text());
    }
    Sequence seq =
        sequence(value, label, single ? "a string or a list of strings" : "a list of strings");
    if (seq == null) {
      return null;
    }
    List<String> out = new ArrayList<>(seq.items().size());
    for (Tree item : seq.items()) {
      String s = string(item, label + " entries");
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** A mapping of names to scalar values, kept as text ({@code env}, {@code with}). */
  Map<String, String> textMap(Tree value, String label) {
    Mapping m = mapping(value, label, "a mapping of names to values");
    if (m == null) {
      return null;
    }
    duplicates(m, "key", " in " + label);
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : m.entries().values()) {
      String v = scalarText(e.value(), label + " value '" + e.key() + "'");
      if (v != null) {
        out.put(e.key(), v);
      }
    }
    return out;
  }
}
