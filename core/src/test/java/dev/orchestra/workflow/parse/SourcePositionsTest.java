package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.SourceMap;
import org.junit.jupiter.api.Test;

/** The source map holds the real line and column of every key and value. */
class SourcePositionsTest {

  private static String at(SourceMap map, String pointer, boolean key) {
    var p = key ? map.key(pointer) : map.value(pointer);
    return p.line() + ":" + p.column();
  }

  @Test
  void locatesKeysAndValuesInBlockStyle() {
    SourceMap map =
        Parsing.yaml(
                """
                version: 1
                nodes:
                  plan:
                    prompt: write it
                  build:
                    needs:
                      - plan
                    prompt: |
                      build it
                """)
            .workflow()
            .sourceMap();
    assertThat(at(map, "/version", true)).isEqualTo("1:1");
    assertThat(at(map, "/version", false)).isEqualTo("1:10");
    assertThat(at(map, "/nodes/plan", true)).isEqualTo("3:3");
    assertThat(at(map, "/nodes/plan/prompt", true)).isEqualTo("4:5");
    assertThat(at(map, "/nodes/plan/prompt", false)).isEqualTo("4:13");
    assertThat(at(map, "/nodes/build/needs", true)).isEqualTo("6:5");
    assertThat(at(map, "/nodes/build/needs/0", false)).isEqualTo("7:9");
    assertThat(at(map, "/nodes/build/prompt", false)).isEqualTo("8:13");
  }

  @Test
  void locatesKeysAndValuesInFlowAndQuotedStyles() {
    SourceMap map =
        Parsing.yaml(
                """
                version: 1
                nodes:
                  "plan": {prompt: 'write it', checks: [{exists: "PLAN.md"}]}
                  build: {needs: [plan, "plan2"]}
                  plan2: {prompt: "x"}
                """)
            .workflow()
            .sourceMap();
    assertThat(at(map, "/nodes/plan", true)).isEqualTo("3:3");
    assertThat(at(map, "/nodes/plan", false)).isEqualTo("3:11");
    assertThat(at(map, "/nodes/plan/prompt", true)).isEqualTo("3:12");
    assertThat(at(map, "/nodes/plan/prompt", false)).isEqualTo("3:20");
    assertThat(at(map, "/nodes/plan/checks/0", false)).isEqualTo("3:41");
    assertThat(at(map, "/nodes/plan/checks/0/exists", true)).isEqualTo("3:42");
    assertThat(at(map, "/nodes/plan/checks/0/exists", false)).isEqualTo("3:50");
    assertThat(at(map, "/nodes/build/needs/0", false)).isEqualTo("4:19");
    assertThat(at(map, "/nodes/build/needs/1", false)).isEqualTo("4:25");
  }

  @Test
  void locatesKeysAndValuesInJson() {
    SourceMap map =
        Parsing.json(
                """
                {
                  "version": 1,
                  "nodes": {
                    "plan": {"prompt": "p"},
                    "build": {
                      "needs": ["plan"]
                    }
                  }
                }
                """)
            .workflow()
            .sourceMap();
    assertThat(at(map, "/version", true)).isEqualTo("2:3");
    assertThat(at(map, "/version", false)).isEqualTo("2:14");
    assertThat(at(map, "/nodes/plan", true)).isEqualTo("4:5");
    assertThat(at(map, "/nodes/plan/prompt", false)).isEqualTo("4:24");
    assertThat(at(map, "/nodes/build/needs/0", false)).isEqualTo("6:17");
  }

  @Test
  void fallsBackToTheEnclosingKeyForAbsentValues() {
    SourceMap map =
        Parsing.yaml("version: 1\nnodes:\n  a:\n    prompt: p\n").workflow().sourceMap();
    assertThat(at(map, "/nodes/a/timeout", true)).isEqualTo("3:3");
  }

  @Test
  void escapesSlashAndTildeInPointers() {
    SourceMap map =
        Parsing.yaml("version: 1\nnodes:\n  a:\n    env: {\"x/y~z\": 1}\n").workflow().sourceMap();
    assertThat(at(map, SourceMap.pointer("nodes", "a", "env", "x/y~z"), true)).isEqualTo("4:11");
  }

  @Test
  void countsWindowsLineEndingsAsOneLineBreak() {
    ParseResult yaml =
        Parsing.yaml("version: 1\r\nnodes:\r\n  a:\r\n    atempts: 2\r\n    prompt: p\r\n");
    Parsing.assertOnlyProblem(
        yaml, 4, 5, "unknown key 'atempts' in node 'a'; did you mean 'attempts'?");
    ParseResult json =
        Parsing.json("{\r\n  \"version\": 1,\r\n  \"nodes\": {\"a\": {\"atempts\": 2}}\r\n}");
    Parsing.assertOnlyProblem(
        json, 3, 19, "unknown key 'atempts' in node 'a'; did you mean 'attempts'?");
  }

  @Test
  void ignoresByteOrderMark() {
    ParseResult r = Parsing.yaml("\uFEFFversion: 1\nnodes:\n  a: {prompt: p, x: 1}\n");
    Parsing.assertOnlyProblem(
        r,
        3,
        18,
        "unknown key 'x' in node 'a'; valid keys are: "
            + String.join(", ", new java.util.TreeSet<>(WorkflowParser.KNOWN_KEYS.get("node"))));
  }
}
