package dev.orchestra.workflow.parse;

import static dev.orchestra.workflow.parse.Parsing.assertOnlyProblem;
import static dev.orchestra.workflow.parse.Parsing.json;
import static dev.orchestra.workflow.parse.Parsing.problems;
import static dev.orchestra.workflow.parse.Parsing.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Backoff;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueProblemsTest {

  @Test
  void rejectsWordForAttempts() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              build:
                prompt: b
                attempts: three
            """);
    assertOnlyProblem(r, 5, 15, "'attempts' must be a positive integer, was \"three\"");
    assertThat(r.workflow().nodes().get("build").attempts()).isNull();
    assertThat(r.workflow().nodes().get("build").prompt()).isEqualTo("b");
  }

  @Test
  void rejectsQuotedNumberForAttemptsInJson() {
    ParseResult r =
        json(
            """
            {"version": 1, "nodes": {"build": {"prompt": "b", "attempts": "3"}}}
            """);
    assertOnlyProblem(r, 1, 63, "'attempts' must be a positive integer, was \"3\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "attempts: 0|'attempts' must be a positive integer, was 0",
        "attempts: -2|'attempts' must be a positive integer, was -2",
        "attempts: 2.5|'attempts' must be a positive integer, was 2.5",
        "timeout: 0s|'timeout' must be longer than zero, was 0s",
        "idle_timeout: PT0S|'idle_timeout' must be longer than zero, was PT0S",
        "budget: {usd: 0}|budget 'usd' must be a positive number, was 0",
        "budget: {tokens: -5}|budget 'tokens' must be a positive integer, was -5",
        "backoff: {factor: 0.5}|backoff 'factor' must be >= 1, was 0.5",
        "backoff: {delay: 1m, max: 5s}|backoff 'max' (5s) must not be shorter than 'delay' (1m)",
        "executor: dockr|'executor' must be one of local, docker; was \"dockr\"; did you mean 'docker'?",
        "on_conflict: merge|'on_conflict' must be one of fail, agent; was \"merge\"",
        "docker: {network: host}|docker 'network' must be one of bridge, none; was \"host\"",
        "docker: {cpus: 0}|docker 'cpus' must be a positive number, was 0",
        "docker: {memory: lots}|docker 'memory' must be a size such as 512m or 4g, was \"lots\"",
        "logs: {max: lots}|logs 'max' must be a size such as 64MiB, 512k or 1g, or unlimited,"
            + " was \"lots\"; units are b, k (KiB), m (MiB) and g (GiB)",
        "logs: {max: unlimted}|logs 'max' must be a size such as 64MiB, 512k or 1g, or unlimited,"
            + " was \"unlimted\"; did you mean 'unlimited'?",
        "logs: {max: 100}|logs 'max' must be at least 1k, was 100",
        "logs: {max: [1m]}|logs 'max' must be a size such as 64MiB, 512k or 1g, or unlimited, was"
            + " a list",
        "logs: {maxx: 1m}|unknown key 'maxx' in logs of node 'b'; did you mean 'max'?",
        "logs: 64MiB|'logs' must be a mapping {max}, e.g. logs: {max: 64MiB}, was \"64MiB\"",
        "continue_on_failure: maybe|'continue_on_failure' must be true or false, was \"maybe\"",
        "model: 4|'model' must be a string, was 4; quote it: \"4\"",
        "backoff: {factor: 1e400}|backoff 'factor' is too large, was 1e400",
        "docker: {cpus: 1e400}|docker 'cpus' is too large, was 1e400",
        "docker: {pids_limit: 0}|docker 'pids_limit' must be a positive integer, was 0",
        "docker: {capabilities: [NET_RAWW]}|unknown docker capability 'NET_RAWW'; did you mean"
            + " 'NET_RAW'?",
        "docker: {no_new_privileges: maybe}|docker 'no_new_privileges' must be true or false, was"
            + " \"maybe\"",
        "command: {run: x}|'command' must be a string (run by sh -c) or a list of arguments, was a"
            + " mapping",
        "command: []|'command' must name a program: the list is empty",
        "env: {'1BAD': x}|environment variable name '1BAD' must match [A-Za-z_][A-Za-z0-9_]*",
        "checks: {run: x}|'checks' must be a list of checks, was a mapping",
        "context: [{url: ftp://x}]|'url' must start with http:// or https://, was \"ftp://x\"",
      })
  void reportsBadNodeValueAtItsPosition(String line, String message) {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p}\n  b:\n    " + line + "\n");
    assertThat(problems(r)).hasSize(1);
    assertThat(r.problems().get(0).text()).isEqualTo(message);
    assertThat(r.problems().get(0).position().line()).isEqualTo(5);
    assertThat(r.problems().get(0).position().column()).isGreaterThan(5);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "concurrency: 0|3:16|'concurrency' must be a positive integer, was 0",
        "agents: {claude: 0}|3:20|limit for agent 'claude' must be a positive integer, was 0",
        "timeout: 5 minutes|3:12|'timeout': bad duration '5 minutes'; use "
            + Durations.ACCEPTED_FORMS,
        "budget: {usd: -1}|3:17|budget 'usd' must be a positive number, was -1",
      })
  void reportsBadLimits(String line, String at, String message) {
    ParseResult r = yaml("version: 1\nlimits:\n  " + line + "\nnodes:\n  a: {prompt: p}\n");
    assertThat(problems(r)).containsExactly(at + " " + message);
  }

  @Test
  void rejectsDurationInWordsAndListsAcceptedForms() {
    ParseResult r =
        yaml(
            """
            version: 1
            defaults:
              timeout: 5 minutes
            nodes:
              a: {prompt: p}
            """);
    assertOnlyProblem(
        r,
        3,
        12,
        "'timeout': bad duration '5 minutes'; use a number with a unit (ms, s, m, h, d) such as"
            + " 500ms, 90s, 5m, 1h30m or 2h, or ISO-8601 such as PT5M");
  }

  @Test
  void rejectsNumberWithoutUnitAsDuration() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, timeout: 90}\n");
    assertOnlyProblem(
        r, 3, 27, "'timeout' must be a duration such as 90s, 5m, 1h30m or PT5M, was 90");
  }

  @Test
  void rejectsBadIsolationWithSuggestion() {
    ParseResult r =
        yaml(
            """
            version: 1
            workspace:
              isolation: branches
            nodes:
              a: {prompt: p}
            """);
    assertOnlyProblem(
        r,
        3,
        14,
        "'isolation' must be one of shared, branch; was \"branches\"; did you mean 'branch'?");
  }

  @Test
  void rejectsVersionOtherThanOne() {
    ParseResult r = yaml("version: 2\nnodes:\n  a: {prompt: p}\n");
    assertOnlyProblem(r, 1, 10, "'version' must be 1, was 2");
  }

  @Test
  void reportsMissingVersionAndNodes() {
    ParseResult r = yaml("name: x\n");
    assertThat(problems(r))
        .containsExactly(
            "1:1 missing 'version'; add 'version: 1' at the top of the file",
            "1:1 missing 'nodes'; a workflow needs at least one node");
    assertThat(r.workflow()).isNotNull();
  }

  @Test
  void rejectsIllegalWorkflowName() {
    ParseResult r = yaml("version: 1\nname: Add Feature\nnodes:\n  a: {prompt: p}\n");
    assertOnlyProblem(
        r,
        2,
        7,
        "'name' must match [a-z0-9][a-z0-9_-]* (lower-case letters, digits, '_' and '-'), was"
            + " \"Add Feature\"; for example 'add-feature'");
  }

  @Test
  void rejectsIllegalNodeIdButKeepsTheNode() {
    ParseResult r = yaml("version: 1\nnodes:\n  \"build it\": {prompt: p}\n");
    assertOnlyProblem(
        r,
        3,
        3,
        "node id 'build it' must match [A-Za-z0-9][A-Za-z0-9_-]* (letters, digits, '_' and '-');"
            + " for example 'build-it'");
    assertThat(r.workflow().nodes()).containsKey("build it");
  }

  @Test
  void rejectsCheckWithTwoTypes() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                checks:
                  - run: make test
                    exists: out.txt
            """);
    assertOnlyProblem(
        r,
        7,
        9,
        "check 1 of node 'a' has 2 check types ('run', 'exists'); write each as its own check");
  }

  @Test
  void rejectsCheckWithNoType() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                checks:
                  - timeout: 5m
            """);
    assertOnlyProblem(
        r,
        6,
        9,
        "check 1 of node 'a' has no check type; use one of 'exists', 'run', 'junit', 'critic'");
  }

  @Test
  void rejectsZeroMinTestsAndBadCheckExecutor() {
    ParseResult r =
        yaml(
            """
            version: 1
            nodes:
              a:
                prompt: p
                checks:
                  - junit: "reports/*.xml"
                    min_tests: 0
                  - {run: make, executor: cloud}
            """);
    assertThat(problems(r))
        .containsExactly(
            "7:20 'min_tests' must be a positive integer, was 0",
            "8:31 'executor' must be one of local, docker; was \"cloud\"");
  }

  @Test
  void rejectsCriticMappingWithoutPrompt() {
    ParseResult r = yaml("version: 1\nnodes:\n  a:\n    checks: [{critic: {agent: codex}}]\n");
    assertOnlyProblem(r, 4, 23, "critic of check 1 of node 'a' needs a 'prompt' with its criteria");
  }

  @Test
  void rejectsEmptyNodes() {
    ParseResult r = yaml("version: 1\nnodes: {}\n");
    assertOnlyProblem(r, 2, 8, "'nodes' is empty; a workflow needs at least one node");
  }

  @Test
  void rejectsNodeThatIsNotAMapping() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: do the thing\n");
    assertOnlyProblem(r, 3, 6, "node 'a' must be a mapping of node keys, was \"do the thing\"");
    assertThat(r.workflow().nodes()).containsKey("a");
  }

  @Test
  void rejectsSameNeedTwice() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p}\n  b: {needs: [a, a]}\n");
    assertOnlyProblem(r, 4, 18, "'a' is listed twice in 'needs' of node 'b'; remove one");
  }

  @Test
  void rejectsCredentialWithBadVariable() {
    ParseResult r =
        yaml("version: 1\nnodes:\n  a: {prompt: p, credentials: [gh, {MY-TOKEN: gh}]}\n");
    assertOnlyProblem(
        r, 3, 37, "environment variable name 'MY-TOKEN' must match [A-Za-z_][A-Za-z0-9_]*");
  }

  @Test
  void rejectsRequiredInputWithDefault() {
    ParseResult r =
        yaml(
            """
            version: 1
            inputs:
              task: {required: true, default: x}
            nodes:
              a: {prompt: p}
            """);
    assertOnlyProblem(
        r, 3, 26, "input 'task' is required and has a default; drop 'required' or the default");
  }

  @Test
  void rejectsWorkflowOutputWithoutValue() {
    ParseResult r = yaml("version: 1\noutputs:\n  o: {description: d}\nnodes:\n  a: {prompt: p}\n");
    assertOnlyProblem(r, 3, 6, "workflow output 'o' needs a 'value', e.g. '{{ nodes.ID.output }}'");
  }

  @Test
  void acceptsADelayLongerThanTheDefaultMaxWhichCutsIt() {
    ParseResult r = yaml("version: 1\nnodes:\n  a: {prompt: p, backoff: {delay: 5m}}\n");
    assertThat(problems(r)).isEmpty();
    assertThat(r.workflow().nodes().get("a").backoff())
        .isEqualTo(new Backoff(Duration.ofMinutes(5), 2.0, Duration.ofMinutes(1)));
  }
}
