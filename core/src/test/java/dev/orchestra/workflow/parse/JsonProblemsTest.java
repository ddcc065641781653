package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.json;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same problems as in YAML, reported at JSON token positions. */
class JsonProblemsTest {

  @Test
  void reportsEveryKindOfValueProblemAtJsonPositions() {
    ParseResult r =
        json(
            """
            {
              "version": "1",
              "name": "Flow",
              "limits": {"concurrency": -1, "budget": {"usd": 0}},
              "workspace": {"isolation": "none", "push": "yes"},
              "nodes": {
                "a": {
                  "prompt": "p",
                  "timeout": "1 hour",
                  "backoff": {"factor": 0.9},
                  "checks": [{}, {"junit": "*.xml", "min_tests": 0}],
                  "command": {"sh": "x"},
                  "docker": {"network": "host"},
                  "on_conflict": "merge"
                },
                "b": 7
              }
            }
            """);
    assertThat(problems(r))
        .containsExactly(
            "2:14 'version' must be 1, was \"1\"",
            "3:11 'name' must match [a-z0-9][a-z0-9_-]* (lower-case letters, digits, '_' and '-'),"
                + " was \"Flow\"; for example 'flow'",
            "4:29 'concurrency' must be a positive integer, was -1",
            "4:51 budget 'usd' must be a positive number, was 0",
            "5:30 'isolation' must be one of shared, branch; was \"none\"",
            "5:46 'push' must be true or false, was \"yes\"",
            "9:18 'timeout': bad duration '1 hour'; use " + Durations.ACCEPTED_FORMS,
            "10:29 backoff 'factor' must be >= 1, was 0.9",
            "11:18 check 1 of node 'a' has no check type; use one of 'exists', 'run', 'junit',"
                + " 'critic'",
            "11:54 'min_tests' must be a positive integer, was 0",
            "12:18 'command' must be a string (run by sh -c) or a list of arguments, was a mapping",
            "13:29 docker 'network' must be one of bridge, none; was \"host\"",
            "14:22 'on_conflict' must be one of fail, agent; was \"merge\"",
            "16:10 node 'b' must be a mapping of node keys, was 7");
  }

  @Test
  void reportsMissingNodesInJson() {
    ParseResult r = json("{\"version\": 1}");
    assertThat(problems(r))
        .containsExactly("1:1 missing 'nodes'; a workflow needs at least one node");
  }
}
