package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.json;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownKeyProblemsTest {

  @Test
  void suggestsNeedsForMisspeltNodeKeyInBlockStyle() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              plan:
                prompt: p
              build:
                need: [plan]
                prompt: b
            """);
    assertOnlyProblem(r, 6, 5, "unknown key 'need' in node 'build'; did you mean 'needs'?");
    assertThat(r.workflow()).isNotNull();
    assertThat(r.workflow().nodes()).containsKeys("plan", "build");
  }

  @Test
  void suggestsKeyInFlowStyleNode() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              build: {prompt: b, atempts: 2}
            """);
    assertOnlyProblem(r, 3, 22, "unknown key 'atempts' in node 'build'; did you mean 'attempts'?");
  }

  @Test
  void suggestsKeyInJson() {
    ParseResult r =
        json(
            """
            {
              "version": 1,
              "nodes": {
                "build": {"prompt": "b", "timout": "5m"}
              }
            }
            """);
    assertOnlyProblem(r, 4, 30, "unknown key 'timout' in node 'build'; did you mean 'timeout'?");
  }

  @Test
  void reportsUnknownTopLevelKeyWithSuggestion() {
    ParseResult r =
        yaml(
            """
            version: 1
            node:
              a: {prompt: x}
            nodes:
              a: {prompt: x}
            """);
    assertOnlyProblem(r, 2, 1, "unknown key 'node' in the workflow; did you mean 'nodes'?");
  }

  @Test
  void listsValidKeysWhenNothingIsClose() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: x
                backoff: {delay: 1s, jitter: true}
            """);
    assertOnlyProblem(
        r,
        5,
        26,
        "unknown key 'jitter' in backoff of node 'a'; valid keys are: delay, factor, max");
  }

  @Test
  void reportsUnknownKeysAtEveryLevel() {
    ParseResult r =
        yaml(
            """
            version: 1
            inputs:
              task: {descripton: t}
            defaults:
              agnet: claude
            limits:
              concurency: 2
              budget: {usd: 1, token: 5}
            workspace:
              isolaton: branch
            outputs:
              o: {value: x, desc: y}
            nodes:
              a:
                prompt: x
                docker: {cpu: 2}
                context:
                  - files: a.md
                outputs:
                  o: {fil: o.txt}
                checks:
                  - run: make
                    timeot: 5m
                  - critic: {prompt: ok, modle: m}
                  - exist: a.txt
            """);
    assertThat(problems(r))
        .containsExactly(
            "3:10 unknown key 'descripton' in input 'task'; did you mean 'description'?",
            "5:3 unknown key 'agnet' in defaults; did you mean 'agent'?",
            "7:3 unknown key 'concurency' in limits; did you mean 'concurrency'?",
            "8:20 unknown key 'token' in budget of limits; did you mean 'tokens'?",
            "10:3 unknown key 'isolaton' in workspace; did you mean 'isolation'?",
            "12:17 unknown key 'desc' in workflow output 'o'; valid keys are: description, value",
            "16:14 unknown key 'cpu' in docker options of node 'a'; did you mean 'cpus'?",
            "18:9 unknown key 'files' in context 1 of node 'a'; did you mean 'file'?",
            "20:11 unknown key 'fil' in output 'o' of node 'a'; did you mean 'file'?",
            "23:9 unknown key 'timeot' in check 1 of node 'a' ('run'); did you mean 'timeout'?",
            "24:30 unknown key 'modle' in critic of check 2 of node 'a'; did you mean 'model'?",
            "25:9 unknown key 'exist' in check 3 of node 'a'; did you mean 'exists'?");
  }

  @Test
  void refusesNeedsInDefaults() {
    ParseResult r =
        yaml(
            """
            version: 1
            defaults:
              needs: [a]
            nodes:
              a: {prompt: x}
            """);
    assertOnlyProblem(r, 3, 3, "'needs' cannot be defaulted; set it on each node");
  }

  @Test
  void refusesOptionOfAnotherCheckType() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: x
                checks:
                  - exists: a.txt
                    min_tests: 3
            """);
    assertOnlyProblem(
        r,
        7,
        9,
        "unknown key 'min_tests' in check 1 of node 'a' ('exists'); valid keys are: exists");
  }

  @Test
  void suggestsOurKeyForOtherToolsSpelling() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a: {prompt: p}
              b:
                depends_on: [a]
                retries: 2
                prompt: q
            """);
    assertThat(problems(r))
        .containsExactly(
            "5:5 unknown key 'depends_on' in node 'b'; did you mean 'needs'?",
            "6:5 unknown key 'retries' in node 'b'; did you mean 'attempts'?");
  }
}
