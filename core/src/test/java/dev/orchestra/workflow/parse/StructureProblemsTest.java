package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.json;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Duplicates, syntax errors, unreadable files and documents of the wrong shape. */
class StructureProblemsTest {

  @Test
  void reportsDuplicateNodeIdWithFirstLine() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              plan: {prompt: p}
              build:
                prompt: b
              build:
                prompt: c
            """);
    assertOnlyProblem(r, 6, 3, "duplicate node id 'build' (first defined at line 4)");
    assertThat(r.workflow().nodes().get("build").prompt()).isEqualTo("b");
  }

  @Test
  void reportsDuplicateNodeIdInJson() {
    ParseResult r =
        json(
            """
            {
              "version": 1,
              "nodes": {
                "build": {"prompt": "b"},
                "build": {"prompt": "c"}
              }
            }
            """);
    assertOnlyProblem(r, 5, 5, "duplicate node id 'build' (first defined at line 4)");
  }

  @Test
  void reportsDuplicateKeysInAnyMapping() {
    ParseResult r =
        yaml(
            """
            version: 1
            version: 1
            inputs:
              task: {}
              task: {}
            nodes:
              a:
                prompt: p
                env: {A: 1, A: 2}
                prompt: q
                checks:
                  - {run: x, timeout: 1m, timeout: 2m}
            """);
    assertThat(problems(r))
        .containsExactly(
            "2:1 duplicate key 'version' in the workflow (first defined at line 1)",
            "5:3 duplicate input 'task' (first defined at line 4)",
            "9:17 duplicate key 'A' in 'env' (first defined at line 9, column 11)",
            "10:5 duplicate key 'prompt' in node 'a' (first defined at line 8)",
            "12:31 duplicate key 'timeout' in check 1 of node 'a' ('run') (first defined at line"
                + " 12, column 18)");
  }

  @Test
  void reportsYamlSyntaxErrorAtItsPlaceWithoutJavaNoise() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: b: c\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(r, 3, 7, "YAML syntax error: mapping values are not allowed here");
  }

  @Test
  void reportsTabIndentation() {
    ParseResult r = yaml("version: 1\nnodes:\n\ta: {prompt: p}\n");
    assertThat(r.workflow()).isNull();
    Problem p = Parsing.only(r);
    assertThat(p.position().line()).isEqualTo(3);
    assertThat(p.position().column()).isEqualTo(1);
    assertThat(p.message())
        .startsWith("YAML syntax error: found character tab")
        .doesNotContain("\n");
  }

  @Test
  void reportsUnclosedFlowMapping() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p\n");
    assertThat(r.workflow()).isNull();
    Problem p = Parsing.only(r);
    assertThat(p.position().line()).isEqualTo(4);
    assertThat(p.message())
        .startsWith("YAML syntax error: expected ',' or '}'")
        .contains("started at line 3, column 6")
        .doesNotContain("\n");
  }

  @Test
  void reportsJsonSyntaxErrorWithoutCharacterCodes() {
    ParseResult r = json("{\n  \"version\": 1,\n  \"nodes\" {}}\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(
        r,
        3,
        11,
        "JSON syntax error: Unexpected character ('{'): was expecting a colon to separate field"
            + " name and value");
  }

  @Test
  void readsContentStartingWithBraceAsJsonWhateverTheName() {
    ParseResult r = yaml("{\"version\": 1\n \"nodes\": {\"a\": {\"prompt\": \"p\"}}}");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(
        r,
        2,
        2,
        "JSON syntax error: Unexpected character ('\"'): was expecting comma to separate Object"
            + " entries");
  }

  @Test
  void readsYamlFlowMappingThatIsNotJson() {
    ParseResult r = yaml("{version: 1, nodes: {a: {prompt: p}}}\n");
    assertThat(r.problems()).isEmpty();
    assertThat(r.workflow().nodes().get("a").prompt()).isEqualTo("p");
    assertThat(r.workflow().sourceMap().value("/nodes/a/prompt").column()).isEqualTo(34);
  }

  @Test
  void rejectsHexadecimalCount() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, attempts: 0x10}\n");
    assertOnlyProblem(r, 3, 28, "'attempts' must be a positive integer in decimal, was 0x10");
  }

  @Test
  void refusesDocumentThatIsNotAMapping() {
    ParseResult r = yaml("- version: 1\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(
        r, 1, 1, "a workflow file must be a mapping with 'version' and 'nodes', was a list");
  }

  @Test
  void refusesEmptyFile() {
    ParseResult r = yaml("# nothing yet\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(
        r, 1, 1, "the file is empty; a workflow needs at least 'version: 1' and 'nodes'");
  }

  @Test
  void refusesSecondDocument() {
    ParseResult r = yaml("version: 1\nnodes: {a: {prompt: p}}\n---\nversion: 1\n");
    assertThat(r.workflow()).isNull();
    assertOnlyProblem(r, 4, 1, "the file holds more than one document; keep one workflow per file");
  }

  @Test
  void reportsMissingFileByName(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ParseResult r = Parsing.PARSER.parse(missing);
    assertThat(r.workflow()).isNull();
    assertThat(r.ok()).isFalse();
    assertThat(Parsing.only(r).toString())
        .isEqualTo(missing + ": error: no such file: " + missing + "; check the path");
  }

  @Test
  void reportsFileThatIsNotUtf8(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});
    ParseResult r = Parsing.PARSER.parse(file);
    assertThat(r.workflow()).isNull();
    assertThat(Parsing.only(r).message()).contains("not UTF-8");
  }

  @Test
  void readsFileFromDisk(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("flow.yml");
    Files.writeString(file, "version: 1\nnodes:\n  a: {prompt: p}\n");
    ParseResult r = Parsing.PARSER.parse(file);
    assertThat(r.ok()).isTrue();
    assertThat(r.workflow().file()).isEqualTo(file);
    assertThat(r.workflow().sourceMap().key("/nodes/a").toString()).isEqualTo(file + ":3:3");
  }
}
