package dev.orchestra.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The user documentation as the tests read it: README.md and docs/*.md, their fenced code blocks
 * and headings. A block right after a line {@value #OUTPUT_TEST} is a console session whose output
 * the tests compare with the real CLI's.
 */
final class DocPages {
  static final String OUTPUT_TEST = "<!-- doc-test: output -->";

  static final Path ROOT = ExamplesTest.examplesDir().getParent();

  private DocPages() {}

  /**
   * A fenced code block.
   *
   * @param line the 1-based line of its opening fence
   * @param lang what follows the opening fence ({@code yaml}, {@code console}, …), or empty
   * @param text its lines without the fences and without the fence's indentation
   * @param outputTest whether {@link #OUTPUT_TEST} stands right before it
   */
  record Block(Path page, int line, String lang, String text, boolean outputTest) {
    String where() {
      return ROOT.relativize(page) + ":" + line;
    }
  }

  /** README.md and every page under docs/. */
  static List<Path> pages() {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  static String read(Path page) {
    try {
      return Files.readString(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Block> blocks(Path page) {
    List<String> lines = read(page).lines().toList();
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.stripLeading();
      if (!stripped.startsWith("```")) {
        continue;
      }
      int indent = line.length() - stripped.length();
      String lang = stripped.substring(3).strip();
      boolean outputTest = i > 0 && lines.get(i - 1).strip().equals(OUTPUT_TEST);
      StringBuilder text = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).strip().equals("```")) {
        String l = lines.get(j);
        text.append(
                l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l)
            .append('\n');
        j++;
      }
      blocks.add(new Block(page, i + 1, lang, text.toString(), outputTest));
      i = j;
    }
    return blocks;
  }

  /** The page's text outside its code blocks, with inline code spans blanked out. */
  static String prose(Path page) {
    StringBuilder out = new StringBuilder();
    boolean inBlock = false;
    for (String line : read(page).lines().toList()) {
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
        out.append('\n');
        continue;
      }
      out.append(inBlock ? "" : line.replaceAll("`[^`]*`", "``")).append('\n');
    }
    return out.toString();
  }

  /** The anchors of the page's headings, as GitHub makes them. */
  static List<String> anchors(Path page) {
    List<String> anchors = new ArrayList<>();
    boolean inBlock = false;
    for (String line : read(page).lines().toList()) {
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
      } else if (!inBlock && line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT);
        anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  /**
   * The words and operators of a shell command line, as the shell would split them: quotes group
   * and are removed; {@code | ; & < > ( )} are operators of their own; an unquoted {@code #} after
   * a space starts a comment.
   */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        word = flush(words, word);
      } else if (c == '#' && word == null) {
        break;
      } else if ("|;&<>()".indexOf(c) >= 0) {
        word = flush(words, word);
        words.add(String.valueOf(c));
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    flush(words, word);
    return words;
  }

  private static StringBuilder flush(List<String> words, StringBuilder word) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }

  /** Every {@code orchestra} (or {@code bin/orchestra}) invocation on a command line: its args. */
  static List<List<String>> orchestraCommands(String line) {
    List<String> words = shellWords(line);
    List<List<String>> commands = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      boolean start = i == 0 || isOperator(words.get(i - 1)) || isAssignment(words, i);
      if (start && (w.equals("orchestra") || w.equals("bin/orchestra"))) {
        List<String> args = new ArrayList<>();
        int j = i + 1;
        while (j < words.size() && !isOperator(words.get(j))) {
          args.add(words.get(j++));
        }
        commands.add(args);
        i = j;
      }
    }
    return commands;
  }

  /** Whether every word before {@code i} back to the last operator is a {@code VAR=value}. */
  private static boolean isAssignment(List<String> words, int i) {
    int k = i - 1;
    while (k >= 0 && !isOperator(words.get(k))) {
      if (!words.get(k).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        return false;
      }
      k--;
    }
    return k < i - 1;
  }

  private static boolean isOperator(String word) {
    return word.length() == 1 && "|;&<>()".contains(word);
  }
}
