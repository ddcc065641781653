package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.cli.DocPages.Block;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The examples of README.md and docs/*.md checked against the real CLI, so that the documentation
 * cannot rot: links resolve, workflows validate, command lines parse, and marked sessions print
 * what the page shows.
 */
class DocsTest {
  private static final Path ROOT = DocPages.ROOT;
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Set<String> WORKFLOW_KEYS = workflowKeys();
  private static final Pattern INLINE_CODE = Pattern.compile("`((?:bin/)?orchestra [^`\\[|]+)`");

  @Test
  void theIndexListsEveryPage() throws IOException {
    String index = Files.readString(ROOT.resolve("docs/index.md"));
    List<String> pages;
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      pages =
          docs.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".md") && !n.equals("index.md"))
              .sorted()
              .toList();
    }

    assertThat(pages).isNotEmpty();
    assertThat(pages)
        .allSatisfy(p -> assertThat(index).as("docs/index.md").contains("](" + p + ")"));
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("](docs/index.md)");
  }

  @Test
  void everyLocalLinkLeadsToAFileAndHeadingThatExist() {
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : DocPages.pages()) {
      Matcher m = LINK.matcher(DocPages.prose(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        links++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path to = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(to)) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
        } else if (hash >= 0 && !DocPages.anchors(to).contains(target.substring(hash + 1))) {
          broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
        }
      }
    }

    assertThat(links).isGreaterThan(20);
    assertThat(broken).isEmpty();
  }

  @Test
  void everyWholeWorkflowOnThePagesValidates(@TempDir Path dir) throws IOException {
    int checked = 0;
    for (Path page : DocPages.pages()) {
      for (Block b : DocPages.blocks(page)) {
        Optional<String> workflow = b.lang().equals("yaml") ? workflow(b.text()) : Optional.empty();
        if (workflow.isEmpty()) {
          continue;
        }
        checked++;
        Path file = exampleWithText(b.text()).orElse(null);
        if (file == null) {
          file = Files.writeString(dir.resolve("block-" + checked + ".yaml"), workflow.get());
        }

        CliRun run = CliRun.of("validate", file.toString());

        assertThat(run.err()).as("the workflow at %s", b.where()).isEmpty();
        assertThat(run.exitCode()).as("the workflow at %s", b.where()).isZero();
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(3);
  }

  @Test
  void everyOrchestraCommandLineOnThePagesParses() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path page : DocPages.pages()) {
      // Whole command lines in code blocks must parse; a command named in prose
      // (`orchestra validate`, `--concurrency P`) only needs its command and options to exist.
      List<String> lines = new ArrayList<>();
      List<String> spans = new ArrayList<>();
      for (Block b : DocPages.blocks(page)) {
        if (b.lang().equals("console")) {
          b.text()
              .lines()
              .filter(l -> l.startsWith("$ "))
              .map(l -> l.substring(2))
              .forEach(lines::add);
        } else if (b.lang().equals("sh")) {
          lines.addAll(b.text().lines().toList());
        }
      }
      Matcher inline = INLINE_CODE.matcher(DocPages.read(page));
      while (inline.find()) {
        spans.add(inline.group(1));
      }
      for (String line : lines) {
        checked += parse(page, line, false, problems);
      }
      for (String span : spans) {
        checked += parse(page, span, true, problems);
      }
    }

    assertThat(checked).isGreaterThan(20);
    assertThat(problems).isEmpty();
  }

  /**
   * Parses each {@code orchestra} command on {@code line} as the CLI would, adding what it refuses
   * to {@code problems}; {@code prose}: only unknown commands and options count.
   *
   * @return how many commands it parsed
   */
  private static int parse(Path page, String line, boolean prose, List<String> problems) {
    List<List<String>> commands = DocPages.orchestraCommands(line);
    for (List<String> args : commands) {
      try {
        Orchestra.commandLine().parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        if (!prose || e instanceof CommandLine.UnmatchedArgumentException) {
          problems.add(ROOT.relativize(page) + ": `" + line + "`: " + e.getMessage());
        }
      }
    }
    return commands.size();
  }

  /** The top-level keys of a workflow, as the JSON Schema that ships with the parser has them. */
  private static Set<String> workflowKeys() {
    try (InputStream in =
        DocsTest.class.getResourceAsStream("/dev/orchestra/workflow/workflow.schema.json")) {
      Set<String> keys = new LinkedHashSet<>();
      new ObjectMapper().readTree(in).path("properties").fieldNames().forEachRemaining(keys::add);
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theMarkedSessionsPrintWhatThePagesShow(@TempDir Path dir) throws IOException {
    int sessions = 0;
    for (Path page : DocPages.pages()) {
      for (Block b : DocPages.blocks(page)) {
        if (b.outputTest()) {
          sessions++;
          replay(b, Files.createDirectories(dir.resolve("session-" + sessions)));
        }
      }
    }
    assertThat(sessions).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theReferenceExampleIsTheValidatedReferenceWorkflow() throws IOException {
    Block first =
        DocPages.blocks(ROOT.resolve("docs/workflow.md")).stream()
            .filter(b -> b.lang().equals("yaml"))
            .findFirst()
            .orElseThrow();

    assertThat(first.text()).isEqualTo(Files.readString(ROOT.resolve("examples/reference.yaml")));
  }

  @Test
  void shellWordsSplitLikeTheShell() {
    assertThat(DocPages.shellWords("a \"b c\" 'd'e | f # g"))
        .containsExactly("a", "b c", "de", "|", "f");
    assertThat(
            DocPages.orchestraCommands(
                "X=1 orchestra run f.yaml && source <(orchestra completion)"))
        .containsExactly(List.of("run", "f.yaml"), List.of("completion"));
    assertThat(DocPages.orchestraCommands("echo orchestra run")).isEmpty();
  }

  /**
   * Runs a console session: {@code $ cat NAME} and the lines after it write NAME (in {@code dir});
   * {@code $ bin/orchestra ARGS} runs the CLI in this process, and what follows up to the next
   * {@code $ } line must be exactly what it printed (stdout, then stderr), with the paths of {@code
   * dir} and of the checkout shown as the page shows them.
   */
  private static void replay(Block b, Path dir) throws IOException {
    List<String> lines = b.text().lines().toList();
    assertThat(lines).as("session at %s", b.where()).isNotEmpty();
    assertThat(lines.get(0)).as("session at %s", b.where()).startsWith("$ ");
    int i = 0;
    while (i < lines.size()) {
      String command = lines.get(i).substring(2);
      StringBuilder shown = new StringBuilder();
      int j = i + 1;
      while (j < lines.size() && !lines.get(j).startsWith("$ ")) {
        shown.append(lines.get(j++)).append('\n');
      }
      List<String> words = DocPages.shellWords(command);
      if (words.size() == 2 && words.get(0).equals("cat")) {
        Files.writeString(dir.resolve(words.get(1)), shown.toString());
      } else {
        assertThat(words.get(0)).as("command at %s", b.where()).isIn("orchestra", "bin/orchestra");
        CliRun run = CliRun.of(arguments(words.subList(1, words.size()), dir));
        String printed = (run.out() + run.err()).replace(dir + "/", "").replace(ROOT + "/", "");
        assertThat(printed)
            .as("what `%s` prints (%s)", command, b.where())
            .isEqualTo(shown.toString());
      }
      i = j;
    }
  }

  /** Paths of the checkout (examples/…) and of files the session wrote, made absolute. */
  private static String[] arguments(List<String> words, Path dir) {
    return words.stream()
        .map(
            w ->
                Files.exists(dir.resolve(w))
                    ? dir.resolve(w).toString()
                    : Files.exists(ROOT.resolve(w)) && !w.isBlank() && !w.startsWith("-")
                        ? ROOT.resolve(w).toString()
                        : w)
        .toArray(String[]::new);
  }

  /**
   * The block as a whole workflow: itself when it has {@code version} and {@code nodes}, or a
   * snippet of workflow-level keys completed with a name and (when it has none) a node; empty for
   * snippets of a node's keys, which cannot stand alone.
   */
  private static Optional<String> workflow(String yaml) {
    List<String> keys =
        yaml.lines()
            .filter(l -> l.matches("[a-z_]+:.*"))
            .map(l -> l.substring(0, l.indexOf(':')))
            .toList();
    if (keys.isEmpty() || !WORKFLOW_KEYS.containsAll(keys)) {
      return Optional.empty();
    }
    if (keys.contains("version") && keys.contains("nodes")) {
      return Optional.of(yaml);
    }
    String head = keys.contains("version") ? "" : "version: 1\n";
    head += keys.contains("name") ? "" : "name: snippet\n";
    String tail =
        keys.contains("nodes") ? "" : "nodes:\n  only: {agent: command, command: \"true\"}\n";
    return Optional.of(head + yaml + tail);
  }

  private static Optional<Path> exampleWithText(String text) throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT.resolve("examples"))) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (Files.readString(p).equals(text)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
