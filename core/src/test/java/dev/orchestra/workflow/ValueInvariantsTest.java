package dev.orchestra.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model's value types refuse values the file format forbids when they are built in code, naming
 * the rule and the value (the parser reports the same rules with positions instead).
 */
class ValueInvariantsTest {

  @Test
  void backoffStatesItsRulesAndTheValueGiven() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoff factor must be >= 1 and finite, was 0.5");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Double.NaN, Duration.ofMinutes(1)))
        .hasMessage("backoff factor must be >= 1 and finite, was NaN");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), 2, Duration.ofMinutes(1)))
        .hasMessage("backoff delay must be >= 0, was PT-1S");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(-5)))
        .hasMessage("backoff max must be >= 0, was PT-5S");
    assertThat(new Backoff(Duration.ZERO, 1, Duration.ZERO).before(3)).isEqualTo(Duration.ZERO);
    // A delay longer than the max is cut to it, as the default max cuts a long delay in a file.
    assertThat(new Backoff(Duration.ofMinutes(5), 2, Duration.ofMinutes(1)).before(2))
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void nodeSpecRefusesAttemptsTimeoutsAndEnvNamesTheFormatForbids() {
    assertThatThrownBy(() -> NodeSpec.builder("a").attempts(0).build())
        .hasMessage("attempts must be >= 1, was 0");
    assertThatThrownBy(() -> NodeSpec.builder("a").timeout(Duration.ZERO).build())
        .hasMessage("timeout must be longer than zero, was PT0S");
    assertThatThrownBy(() -> NodeSpec.builder("a").idleTimeout(Duration.ofSeconds(-5)).build())
        .hasMessage("idle_timeout must be longer than zero, was PT-5S");
    assertThatThrownBy(() -> NodeSpec.builder("a").env(Map.of("1BAD", "x")).build())
        .hasMessage("env name must match [A-Za-z_][A-Za-z0-9_]*, was 1BAD");
  }

  @Test
  void limitsAndBudgetsMustBePositive() {
    assertThatThrownBy(() -> new Budget(BigDecimal.ZERO, null))
        .hasMessage("budget usd must be > 0, was 0");
    assertThatThrownBy(() -> new Budget(null, -5L)).hasMessage("budget tokens must be > 0, was -5");
    assertThatThrownBy(() -> new Limits(0, null, null, null))
        .hasMessage("limits concurrency must be >= 1, was 0");
    assertThatThrownBy(() -> new Limits(null, Map.of("claude", 0), null, null))
        .hasMessage("the limit for agent 'claude' must be >= 1, was 0");
    assertThatThrownBy(() -> new Limits(null, null, null, Duration.ZERO))
        .hasMessage("limits timeout must be longer than zero, was PT0S");
  }

  @Test
  void dockerOptionsCheckEachPart() {
    assertThatThrownBy(() -> new DockerOptions(0.0, null, null, null))
        .hasMessage("docker cpus must be > 0, was 0.0");
    assertThatThrownBy(() -> new DockerOptions(null, "lots", null, null))
        .hasMessage("docker memory must be a size such as 512m or 4g, was \"lots\"");
    assertThatThrownBy(() -> new DockerOptions(null, null, "host", null))
        .hasMessage("docker network must be one of bridge, none, was host");
    assertThatThrownBy(() -> new DockerOptions(null, null, null, List.of("relative")))
        .hasMessage("docker mount must look like HOST:/container/path[:ro|:rw], was relative");
    assertThat(new DockerOptions(1.5, "4g", "none", List.of("/a:/b:ro")).mounts())
        .containsExactly("/a:/b:ro");
  }

  @Test
  void commandsChecksContextAndCredentialsRefuseEmptyOrForeignValues() {
    assertThatThrownBy(() -> CommandSpec.argv(List.of()))
        .hasMessage("command argv must name a program, was an empty list");
    assertThatThrownBy(() -> CommandSpec.shell(" "))
        .hasMessage("command shell line must not be blank, was \" \"");
    assertThatThrownBy(() -> new CheckSpec.Exists(List.of()))
        .hasMessage("an exists check must name at least one glob, was none");
    assertThatThrownBy(() -> new CheckSpec.Run(" ", null, null, null))
        .hasMessage("a run check needs a command, was blank");
    assertThatThrownBy(() -> new CheckSpec.Junit("*.xml", -1))
        .hasMessage("a junit check's min_tests must be >= 0, was -1");
    assertThatThrownBy(() -> new ContextSource.UrlContext("ftp://x"))
        .hasMessage("a context url must start with http:// or https://, was ftp://x");
    assertThatThrownBy(() -> new CredentialRef("gh", "1X"))
        .hasMessage("credential variable must match [A-Za-z_][A-Za-z0-9_]*, was 1X");
    assertThatThrownBy(() -> CredentialRef.named(" "))
        .hasMessage("a credential name must not be blank");
  }

  @Test
  void problemIsAFlatValueWhoseTextAppendsTheHint() {
    Problem p =
        new Problem(
            new SourcePosition(java.nio.file.Path.of("flow.yaml"), 3, 5),
            "unknown key 'atempts' in node 'a'",
            "did you mean 'attempts'?");
    assertThat(p.file()).isEqualTo("flow.yaml");
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.column()).isEqualTo(5);
    assertThat(p.position())
        .isEqualTo(new SourcePosition(java.nio.file.Path.of("flow.yaml"), 3, 5));
    assertThat(p.text()).isEqualTo("unknown key 'atempts' in node 'a'; did you mean 'attempts'?");
    assertThat(p)
        .hasToString(
            "flow.yaml:3:5: error: unknown key 'atempts' in node 'a'; did you mean 'attempts'?");
    assertThat(new Problem(SourcePosition.unknown(null), "no file").toString())
        .isEqualTo("<workflow>: error: no file");
  }

  /** A server can send a problem as it is: a record serialiser writes exactly these fields. */
  @Test
  void problemSerialisesAsTheFiveFieldsAServerSends() throws Exception {
    Problem p =
        new Problem(
            new SourcePosition(java.nio.file.Path.of("flow.yaml"), 3, 5),
            "unknown agent 'clade' in node 'plan'",
            "did you mean 'claude'?");
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(json.readTree(json.writeValueAsString(p)))
        .isEqualTo(
            json.readTree(
                """
                {"file": "flow.yaml", "line": 3, "column": 5,
                 "message": "unknown agent 'clade' in node 'plan'",
                 "hint": "did you mean 'claude'?"}
                """));
    assertThat(json.readValue(json.writeValueAsString(p), Problem.class)).isEqualTo(p);
  }
}
