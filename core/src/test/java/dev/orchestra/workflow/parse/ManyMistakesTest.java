package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A file with twelve different mistakes yields all twelve in one pass, in file order. */
class ManyMistakesTest {

  @Test
  void reportsTwelveDifferentMistakesInOnePass() {
    ParseResult r =
        Parsing.yaml(
            """
            version: 2
            name: My Flow
            defaults:
              timeout: 5 minutes
            limits:
              concurrency: 0
            workspace:
              isolation: branches
            nodes:
              plan:
                promt: write a plan
                attempts: three
              build:
                needs: [plan]
                backoff: {factor: 0.5}
                checks:
                  - run: make
                    junit: "*.xml"
              build:
                prompt: again
              "bad id":
                executor: cloud
            """);
    assertThat(problems(r))
        .containsExactly(
            "1:10 'version' must be 1, was 2",
            "2:7 'name' must match [a-z0-9][a-z0-9_-]* (lower-case letters, digits, '_' and '-'),"
                + " was \"My Flow\"; for example 'my-flow'",
            "4:12 'timeout': bad duration '5 minutes'; use " + Durations.ACCEPTED_FORMS,
            "6:16 'concurrency' must be a positive integer, was 0",
            "8:14 'isolation' must be one of shared, branch; was \"branches\"; did you mean"
                + " 'branch'?",
            "11:5 unknown key 'promt' in node 'plan'; did you mean 'prompt'?",
            "12:15 'attempts' must be a positive integer, was \"three\"",
            "15:23 backoff 'factor' must be >= 1, was 0.5",
            "18:9 check 1 of node 'build' has 2 check types ('run', 'junit'); write each as its"
                + " own check",
            "19:3 duplicate node id 'build' (first defined at line 13)",
            "21:3 node id 'bad id' must match [A-Za-z0-9][A-Za-z0-9_-]* (letters, digits, '_' and"
                + " '-'); for example 'bad-id'",
            "22:15 'executor' must be one of local, docker; was \"cloud\"");
    // The best-effort model is still there for the validator to add its problems.
    assertThat(r.workflow()).isNotNull();
    assertThat(r.workflow().nodes()).containsOnlyKeys("plan", "build", "bad id");
    assertThat(r.workflow().nodes().get("build").needs()).containsExactly("plan");
  }
}
