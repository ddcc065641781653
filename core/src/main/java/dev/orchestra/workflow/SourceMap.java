package dev.orchestra.workflow;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key and value of a workflow file stands in its source.
 *
 * <p>Locations are keyed by JSON Pointer (RFC 6901), e.g. {@code /nodes/plan/needs/0}. A lookup for
 * a pointer that has no entry falls back to its nearest ancestor, so that a problem with a
 * defaulted or missing value still points at the enclosing key. Instances are immutable once built
 * and safe to share between threads.
 */
public final class SourceMap {
  private final Path file;
  private final Map<String, SourcePosition> keys;
  private final Map<String, SourcePosition> values;

  private SourceMap(
      Path file, Map<String, SourcePosition> keys, Map<String, SourcePosition> values) {
    this.file = file;
    this.keys = Map.copyOf(keys);
    this.values = Map.copyOf(values);
  }

  /** An empty map for a workflow built in code; every lookup answers the file without a line. */
  public static SourceMap empty(Path file) {
    return new SourceMap(file, Map.of(), Map.of());
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The file this map describes; may be {@code null} for a workflow built in code. */
  public Path file() {
    return file;
  }

  /** Position of the key named by {@code pointer}; falls back to its value, then its ancestors. */
  public SourcePosition key(String pointer) {
    for (String p = pointer; p != null; p = parent(p)) {
      SourcePosition k = keys.get(p);
      if (k != null) {
        return k;
      }
      SourcePosition v = values.get(p);
      if (v != null) {
        return v;
      }
    }
    return SourcePosition.unknown(file);
  }

  /** Position of the value at {@code pointer}; falls back to its key, then its ancestors. */
  public SourcePosition value(String pointer) {
    for (String p = pointer; p != null; p = parent(p)) {
      SourcePosition v = values.get(p);
      if (v != null) {
        return v;
      }
      SourcePosition k = keys.get(p);
      if (k != null) {
        return k;
      }
    }
    return SourcePosition.unknown(file);
  }

  /** Builds a JSON Pointer from segments, escaping {@code ~} and {@code /} as RFC 6901 asks. */
  public static String pointer(Object... segments) {
    StringBuilder sb = new StringBuilder();
    for (Object s : segments) {
      sb.append('/').append(String.valueOf(s).replace("~", "~0").replace("/", "~1"));
    }
    return sb.toString();
  }

  private static String parent(String pointer) {
    if (pointer.isEmpty()) {
      return null;
    }
    int slash = pointer.lastIndexOf('/');
    return slash <= 0 ? "" : pointer.substring(0, slash);
  }

  /** Collects positions while a file is read. Not thread-safe. */
  public static final class Builder {
    private final Path file;
    private final Map<String, SourcePosition> keys = new HashMap<>();
    private final Map<String, SourcePosition> values = new HashMap<>();

    private Builder(Path file) {
      this.file = file;
    }

    public Builder key(String pointer, int line, int column) {
      keys.put(pointer, new SourcePosition(file, line, column));
      return this;
    }

    public Builder value(String pointer, int line, int column) {
      values.put(pointer, new SourcePosition(file, line, column));
      return this;
    }

    public SourceMap build() {
      return new SourceMap(file, keys, values);
    }
  }
}
