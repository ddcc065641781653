package dev.orchestra.check;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file glob relative to a directory, as workflow files write them: {@code *} and {@code ?} within
 * one path segment, {@code **} across segments ({@code **}{@code /} also matches no directory at
 * all, unlike {@link java.nio.file.FileSystem#getPathMatcher}), {@code [abc]}, {@code [!abc]} and
 * {@code {a,b}}. A glob without any of these is a literal path. Immutable and thread-safe.
 */
public final class Glob {
  private final String text;
  private final String base;
  private final Pattern pattern;

  private Glob(String text, String base, Pattern pattern) {
    this.text = text;
    this.base = base;
    this.pattern = pattern;
  }

  /**
   * Parses {@code glob}.
   *
   * @throws OrchestraException when it is empty, absolute or leads out of the directory with {@code
   *     ..}
   */
  public static Glob of(String glob) {
    String normalized = glob.strip();
    while (normalized.startsWith("./")) {
      normalized = normalized.substring(2);
    }
    if (normalized.isEmpty() || normalized.startsWith("/")) {
      throw new OrchestraException(
          "glob '" + glob + "' must be a non-empty path relative to the workspace");
    }
    List<String> segments = List.of(normalized.split("/+"));
    if (segments.contains("..")) {
      throw new OrchestraException(
          "glob '" + glob + "' leads out of the workspace with '..'; use a path inside it");
    }
    var baseSegments = new ArrayList<String>();
    for (String segment : segments) {
      if (hasWildcard(segment)) {
        break;
      }
      baseSegments.add(segment);
    }
    String base = String.join("/", baseSegments);
    return new Glob(glob, base, Pattern.compile(toRegex(String.join("/", segments))));
  }

  /** Whether this glob is a plain path. */
  public boolean isLiteral() {
    return !hasWildcard(text);
  }

  /** Whether {@code relativePath} (segments separated by {@code /}) matches. */
  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  /**
   * The files and directories under {@code root} that match, sorted, relative to {@code root}.
   * Symbolic links are not followed into directories. Blocks while walking the tree.
   *
   * @param limit stop after this many matches
   */
  public List<Path> find(Path root, int limit) {
    var found = new ArrayList<Path>();
    if (isLiteral()) {
      Path path = root.resolve(base);
      if (Files.exists(path)) {
        found.add(root.relativize(path));
      }
      return found;
    }
    Path start = base.isEmpty() ? root : root.resolve(base);
    if (!Files.isDirectory(start)) {
      return found;
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return visit(dir);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              return visit(file);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // unreadable or vanished: not a match
            }

            private FileVisitResult visit(Path path) {
              Path relative = root.relativize(path);
              if (!relative.toString().isEmpty() && matches(slashed(relative))) {
                found.add(relative);
              }
              return found.size() >= limit ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    return found;
  }

  private static String slashed(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  @Override
  public String toString() {
    return text;
  }

  private static boolean hasWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("*?[{".indexOf(s.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String toRegex(String glob) {
    var regex = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
              i++;
              regex.append("(?:.*/)?"); // "**/" matches zero or more directories
            } else {
              regex.append(".*");
            }
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            regex.append("\\[");
          } else {
            String body = glob.substring(i + 1, close);
            if (body.startsWith("!")) {
              body = "^" + body.substring(1);
            }
            regex.append('[').append(body.replace("\\", "\\\\")).append(']');
            i = close;
          }
        }
        case '{' -> {
          braces++;
          regex.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            regex.append(')');
          } else {
            regex.append("\\}");
          }
        }
        case ',' -> regex.append(braces > 0 ? "|" : ",");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces > 0) {
      throw new OrchestraException("glob '" + glob + "' has an unclosed '{'; close it with '}'");
    }
    return regex.toString();
  }
}
