package dev.orchestra.workflow.parse;

import dev.orchestra.workflow.Problem;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.SourcePosition;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.parse.Tree.Entry;
import dev.orchestra.workflow.parse.Tree.Mapping;
import dev.orchestra.workflow.parse.Tree.Sequence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a file (docs/workflow.md) into the {@link Workflow} model, reporting every problem of the
 * file in one pass: unknown keys with a did-you-mean, wrong types, bad durations and enum values,
 * duplicate keys and node ids, missing {@code version} or {@code nodes}, illegal names and ids,
 * zero or negative limits. Each problem carries the 1-based line and column of the offending key or
 * value, for YAML and JSON alike, and the model's {@link SourceMap} holds the position of every key
 * and value for later stages (the validator) to report theirs.
 *
 * <p>Cross-node rules (unknown {@code needs} targets, cycles, templates, agents, files named by
 * {@code uses} and {@code prompt_file}) are the validator's; the parser checks each value on its
 * own.
 *
 * <p>Immutable and thread-safe; one instance may parse many files concurrently. Parsing is linear
 * in the size of the file.
 */
public final class WorkflowParser {
  /**
   * The keys the parser accepts, per kind of object: {@code workflow}, {@code input}, {@code
   * defaults}, {@code node}, {@code limits}, {@code workspace}, {@code backoff}, {@code budget},
   * {@code docker}, {@code check_exists}, {@code check_run}, {@code check_junit}, {@code
   * check_critic}, {@code critic}, {@code context}, {@code output}, {@code workflow_output}. The
   * JSON Schema's definitions carry the same names.
   */
  public static final Map<String, Set<String>> KNOWN_KEYS = Keys.BY_KIND;

  /**
   * The largest workflow file read: 16 MiB, room for some 150,000 nodes. Larger ones are refused
   * before they are read, so that a file cannot exhaust memory or time.
   */
  public static final long MAX_FILE_BYTES = 16L << 20;

  private final TreeReader trees;

  private WorkflowParser() {
    this.trees = new TreeReader();
  }

  public static WorkflowParser create() {
    return new WorkflowParser();
  }

  /**
   * Reads and parses {@code file}: JSON when its name ends in {@code .json} or its content starts
   * with <code>{</code>, YAML otherwise. Never throws for bad input: an unreadable file yields a
   * null workflow and one problem saying why.
   */
  public ParseResult parse(Path file) {
    String content;
    try {
      if (Files.isDirectory(file)) {
        return unreadable(
            file, file + " is a directory; name a workflow file (.yaml, .yml or .json) in it");
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        return unreadable(
            file,
            "cannot read "
                + file
                + ": it is not a regular file (a device, a FIFO or a socket); name a workflow file");
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        return unreadable(file, tooLarge(file, Math.max(Files.size(file), bytes.length)));
      }
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (NoSuchFileException e) {
      return unreadable(file, "no such file: " + file + "; check the path");
    } catch (CharacterCodingException e) {
      return unreadable(file, "cannot read " + file + ": it is not UTF-8 text; save it as UTF-8");
    } catch (IOException e) {
      return unreadable(file, "cannot read " + file + ": " + e.getMessage());
    }
    return parse(file, content);
  }

  /**
   * Parses {@code content} as if read from {@code file} (which is only used in positions). Content
   * of more than {@link #MAX_FILE_BYTES} (in UTF-8) is refused unread.
   */
  public ParseResult parse(Path file, String content) {
    long size = utf8Length(content);
    if (size > MAX_FILE_BYTES) {
      return unreadable(file, tooLarge(file, size));
    }
    String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
    boolean namedJson = isNamedJson(file);
    boolean json = namedJson || text.stripLeading().startsWith("{");
    TreeReader.Outcome outcome = trees.read(file, text, json);
    if (outcome.problem() != null && json && !namedJson) {
      // A YAML file may be one flow mapping, which is not JSON; the JSON error is the one to
      // report only when YAML cannot read it either.
      TreeReader.Outcome asYaml = trees.read(file, text, false);
      if (asYaml.problem() == null) {
        outcome = asYaml;
      }
    }
    if (outcome.problem() != null) {
      return new ParseResult(null, List.of(outcome.problem()));
    }
    if (!(outcome.tree() instanceof Mapping root)) {
      Tree t = outcome.tree();
      return new ParseResult(
          null,
          List.of(
              new Problem(
                  t.position(),
                  "a workflow file must be a mapping with 'version' and 'nodes', was "
                      + t.describe())));
    }
    SourceMap.Builder positions = SourceMap.builder(file);
    positions.value("", root.position().line(), root.position().column());
    record(positions, "", root);
    ValueReader in = new ValueReader();
    Workflow workflow = new TopLevelReader(in).read(root, positions.build());
    List<Problem> problems = new ArrayList<>(in.problems());
    problems.sort(Problem.BY_POSITION);
    return new ParseResult(workflow, problems);
  }

  private static String tooLarge(Path file, long bytes) {
    return String.format(
        Locale.ROOT,
        "%s is %.1f MiB; a workflow file may be at most %d MiB: split it into workflows that"
            + " nodes compose with 'uses'",
        file == null ? "the workflow" : file,
        bytes / (double) (1 << 20),
        MAX_FILE_BYTES >> 20);
  }

  /** The length of {@code s} in UTF-8, counted without encoding it. */
  private static long utf8Length(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static ParseResult unreadable(Path file, String message) {
    return new ParseResult(null, List.of(new Problem(SourcePosition.unknown(file), message)));
  }

  private static boolean isNamedJson(Path file) {
    return file != null
        && file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
  }

  /** Records the position of every key and value under {@code pointer}. */
  private static void record(SourceMap.Builder positions, String pointer, Tree tree) {
    if (tree instanceof Mapping m) {
      for (Entry e : m.entries().values()) {
        String p = pointer + "/" + escape(e.key());
        positions.key(p, e.keyPosition().line(), e.keyPosition().column());
        positions.value(p, e.value().position().line(), e.value().position().column());
        record(positions, p, e.value());
      }
    } else if (tree instanceof Sequence s) {
      List<Tree> items = s.items();
      for (int i = 0; i < items.size(); i++) {
        String p = pointer + "/" + i;
        Tree item = items.get(i);
        positions.value(p, item.position().line(), item.position().column());
        record(positions, p, item);
      }
    }
  }

  private static String escape(String key) {
    return key.indexOf('~') < 0 && key.indexOf('/') < 0
        ? key
        : key.replace("~", "~0").replace("/", "~1");
  }
}
