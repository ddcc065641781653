package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * {@link LinearYaml.WholeText} answers SnakeYAML's parser exactly as SnakeYAML's own reader does:
 * the same events at the same lines, columns and indexes, for line breaks of every kind, a byte
 * order mark, characters outside the BMP, lines longer than the reader's 1,024-character window,
 * the repository's example workflows, and syntax errors. (A character YAML does not allow is
 * reported when the scanner reaches it, not when a window holding it is read: HostileInputTest.)
 */
class LinearYamlTest {

  static Stream<String> documents() throws IOException {
    List<String> docs = new ArrayList<>();
    docs.add("version: 1\nnodes:\n  a: {prompt: x}\n");
    docs.add("a: 1\r\nb:\r\n  - x\r\n  - y\r\n");
    docs.add("a: 1\rb: 2\r");
    docs.add("\uFEFFa: b\n");
    docs.add("a: \"\uD83D\uDE00 émoji\"\nb: |\n  line one\n  line two\u2028three\n");
    docs.add("long: " + "x".repeat(5000) + "\nnext: \"" + "y".repeat(3000) + "\"\n");
    docs.add("k: 'it''s'\nl: >\n  folded\n  text\n\nm: &a [1, 2]\nn: *a\n");
    docs.add("a: [1, 2\nb: 3\n"); // a syntax error
    docs.add("a: b: c\n"); // another
    Path examples = Path.of("").toAbsolutePath().getParent().resolve("examples");
    if (Files.isDirectory(examples)) {
      try (Stream<Path> files = Files.walk(examples)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          docs.add(Files.readString(f));
        }
      }
    }
    return docs.stream();
  }

  @ParameterizedTest
  @MethodSource("documents")
  void answersTheParserAsSnakeYamlsReaderDoes(String text) {
    assertThat(events(new LinearYaml.WholeText(text)))
        .isEqualTo(events(new StreamReader(new StringReader(text))));
  }

  /** The parser's events with their marks, and how it ended (the error class only). */
  private static List<String> events(StreamReader reader) {
    ParserImpl parser = new ParserImpl(reader, new LoaderOptions());
    List<String> seen = new ArrayList<>();
    try {
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        seen.add(e + " " + mark(e.getStartMark()) + " " + mark(e.getEndMark()));
        if (e.is(Event.ID.StreamEnd)) {
          break;
        }
      }
    } catch (YAMLException e) {
      seen.add("error " + e.getClass().getSimpleName());
    }
    return seen;
  }

  private static String mark(Mark m) {
    return m == null ? "-" : m.getLine() + ":" + m.getColumn() + "@" + m.getIndex();
  }
}
