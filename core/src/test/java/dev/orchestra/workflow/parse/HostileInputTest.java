package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.json;
import static dev.orchestra.workflow.parse.Parsing.only;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to exhaust or confuse the parser: too large, not files at all, a very long value, deep
 * nesting, an enormous key, a control character. Each gets one problem in our words, at its place,
 * without reading more than the limit. How long a long value takes is measured by {@code
 * bench/yaml-bench.sh}, not asserted here.
 */
class HostileInputTest {
  @TempDir Path dir;

  @Test
  void refusesAFileLargerThanTheLimitWithoutReadingIt() throws IOException {
    Path file = dir.resolve("big.yaml");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("version: 1\nnodes:\n  a:\n    prompt: \"".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 17; i++) {
        out.write(chunk);
      }
      out.write("\"\n".getBytes(StandardCharsets.UTF_8));
    }

    ParseResult r = Parsing.PARSER.parse(file);

    assertThat(r.workflow()).isNull();
    assertThat(only(r).message())
        .isEqualTo(
            file
                + " is 17.0 MiB; a workflow file may be at most 16 MiB: split it into workflows"
                + " that nodes compose with 'uses'");
  }

  @Test
  void refusesTextLargerThanTheLimitCountingItsUtf8Bytes() {
    // 6 Mi characters of three bytes each: 18 MiB, though fewer than 16 Mi characters.
    String content = "version: 1\nnodes:\n  a:\n    prompt: \"" + "€".repeat(6 << 20) + "\"\n";

    assertThat(only(yaml(content)).message()).startsWith("flow.yaml is 18.0 MiB;");
  }

  @Test
  void refusesDevicesAndFifosAsWorkflowFilesWithoutBlocking() throws Exception {
    Path fifo = dir.resolve("flow.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    for (Path file : new Path[] {Path.of("/dev/zero"), fifo}) {
      ParseResult r = Parsing.PARSER.parse(file);
      assertThat(only(r).message())
          .isEqualTo(
              "cannot read "
                  + file
                  + ": it is not a regular file (a device, a FIFO or a socket); name a workflow"
                  + " file");
    }
  }

  @Test
  void readsAValueOfSixteenMegabytesWhole() {
    String value = "abcdefghijklmnopqrstuvwxyz".repeat(600_000); // 15.6 MB on one line
    ParseResult r =
        yaml("version: 1\nnodes:\n  a:\n    agent: command\n    command: \"" + value + "\"\n");

    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().nodes().get("a").command().shell()).isEqualTo(value);
  }

  @Test
  void reportsTenThousandLevelsOfFlowNestingAtTheLevelTooDeep() {
    int levels = 10_000;
    ParseResult r =
        yaml("version: 1\nnodes:\n  a:\n    prompt: " + "[".repeat(levels) + "]".repeat(levels));

    // The root mapping, nodes, a: three levels, so the 98th '[' is the 101st level.
    assertOnlyProblem(
        r,
        4,
        13 + 97,
        "the file nests mappings and lists more than 100 levels deep here; a workflow needs a few"
            + " levels (nodes, a node, its keys, their lists): look for an unclosed '[' or '{' or"
            + " runaway indentation above");
  }

  @Test
  void reportsDeepBlockNestingAtItsLine() {
    // Indentation makes 10,000 block levels 95 MiB, beyond the file limit: 2,000 are 4 MiB.
    StringBuilder sb = new StringBuilder("version: 1\nnodes:\n  a:\n");
    for (int i = 2; i < 2_000; i++) {
      sb.append("  ".repeat(i)).append("k:\n");
    }

    Problem p = only(yaml(sb.toString()));

    assertThat(p.message()).startsWith("the file nests mappings and lists more than 100 levels");
    assertThat(p.position().line()).isEqualTo(102);
  }

  @Test
  void reportsTenThousandLevelsOfJsonNestingWithAPosition() {
    int levels = 10_000;
    Problem p =
        only(
            json(
                "{\"version\": 1, \"nodes\": {\"a\": {\"prompt\": "
                    + "[".repeat(levels)
                    + "]".repeat(levels)
                    + "}}}"));

    assertThat(p.message()).startsWith("the file nests mappings and lists more than 100 levels");
    assertThat(p.position().line()).isEqualTo(1);
    assertThat(p.position().column()).isEqualTo(42 + 97);
  }

  @Test
  void explainsAKeyOfAHundredThousandCharactersInYaml() {
    String key = "k".repeat(100_000);

    assertOnlyProblem(
        yaml("version: 1\nnodes:\n  " + key + ":\n    prompt: x\n"),
        3,
        3,
        "a key of 100000 characters ('kkkkkkkkkkkkkkkkkkkk…'); keys may be at most 1024"
            + " characters (as YAML allows), and a workflow's keys, node ids and names are short"
            + " words: shorten it");
  }

  @Test
  void explainsAKeyOfAHundredThousandCharactersInJson() {
    String key = "k".repeat(100_000);

    Problem p =
        only(json("{\"version\": 1, \"nodes\": {\"a\": {\"" + key + "\": \"x\", \"prompt\": 1}}}"));

    assertThat(p.message()).startsWith("a key of 100000 characters ('kkkkkkkkkkkkkkkkkkkk…');");
    assertThat(p.position().column()).isEqualTo(32);
  }

  @Test
  void placesAControlCharacterExactly() {
    assertOnlyProblem(
        yaml("version: 1\nnodes:\n  a:\n    prompt: \"x\u0001y\"\n"),
        4,
        15,
        "YAML syntax error: the character U+0001 is not allowed in YAML (control characters must"
            + " be written as escapes such as \\u0001 inside double quotes)");
  }
}
