package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.SourcePosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds where a character of a template stands in its file.
 *
 * <p>The source map knows where each value starts, but not how YAML quoting, escapes or block
 * indentation shifted the characters inside it. So the reference's own text is searched for in the
 * file from the value's start; only when that fails (the text is unavailable, or escapes changed
 * it) is the position estimated from the value's start and the offset. Each file is read at most
 * once. Not thread-safe.
 */
final class TemplatePositions {
  private static final int SLACK = 4096;
  private final Map<Path, String> inMemory;
  private final Map<Path, Source> sources = new HashMap<>();

  /**
   * @param inMemory file texts by absolute, normalized path; other files are read from disk
   */
  TemplatePositions(Map<Path, String> inMemory) {
    this.inMemory = inMemory;
  }

  /** The position of {@code text[offset, offset + length)}, the template at {@code pointer}. */
  SourcePosition locate(SourceMap map, String pointer, String text, int offset, int length) {
    SourcePosition start = map.value(pointer);
    if (start.line() <= 0) {
      return start;
    }
    Source source = start.file() == null ? null : sources.computeIfAbsent(start.file(), this::read);
    if (source != null && source.text != null && start.line() <= source.lineStarts.length) {
      int from = source.lineStarts[start.line() - 1] + start.column() - 1;
      String raw = text.substring(offset, offset + length);
      int found = from - 1;
      // The same reference may occur earlier in the template; skip as many occurrences here.
      for (int seen = text.indexOf(raw);
          seen >= 0 && seen <= offset;
          seen = text.indexOf(raw, seen + 1)) {
        found = source.text.indexOf(raw, found + 1);
        if (found < 0) {
          break;
        }
      }
      if (found >= from && found <= from + 2L * text.length() + SLACK) {
        return source.position(start.file(), found);
      }
    }
    int lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    if (lineStart == 0) {
      return new SourcePosition(start.file(), start.line(), start.column() + offset);
    }
    int lines = (int) text.substring(0, offset).chars().filter(c -> c == '\n').count();
    return new SourcePosition(start.file(), start.line() + lines, offset - lineStart + 1);
  }

  private Source read(Path file) {
    String text = inMemory.get(file.toAbsolutePath().normalize());
    if (text != null) {
      return new Source(text);
    }
    try {
      return new Source(Files.readString(file));
    } catch (IOException e) {
      // Positions then are estimated from the value's start; nothing is lost but precision, and
      // an unreadable file is reported where it matters.
      return new Source(null);
    }
  }

  /** A file's text and where its lines start; {@code text} is {@code null} if unavailable. */
  private static final class Source {
    final String text;
    final int[] lineStarts;

    Source(String text) {
      this.text = text;
      int[] starts = new int[64];
      int n = 0;
      starts[n++] = 0;
      if (text != null) {
        for (int i = 0; i < text.length(); i++) {
          if (text.charAt(i) == '\n') {
            if (n == starts.length) {
              starts = Arrays.copyOf(starts, n * 2);
            }
            starts[n++] = i + 1;
          }
        }
      }
      this.lineStarts = Arrays.copyOf(starts, n);
    }

    SourcePosition position(Path file, int index) {
      int line = Arrays.binarySearch(lineStarts, index);
      if (line < 0) {
        line = -line - 2;
      }
      return new SourcePosition(file, line + 1, index - lineStarts[line] + 1);
    }
  }
}
