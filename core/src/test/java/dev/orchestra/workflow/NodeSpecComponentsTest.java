package dev.orchestra.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every node key is written out in the record, its builder and {@link NodeSpec#over}; these tests
 * fail when one of those places forgets a component, by walking the record's components.
 */
class NodeSpecComponentsTest {

  /** A node with every key set, each to a value distinct from {@link #defaults()}'s. */
  private static NodeSpec full() {
    return NodeSpec.builder("n")
        .needs("up")
        .agent("codex")
        .uses("other.yaml")
        .with(Map.of("focus", "x"))
        .prompt("p")
        .promptFile("p.md")
        .command(CommandSpec.shell("make"))
        .model("m")
        .args(List.of("--a"))
        .endpoint("http://127.0.0.1:1/v1")
        .context(List.of(new ContextSource.NodeContext("up")))
        .checks(new CheckSpec.Exists(List.of("x")))
        .attempts(5)
        .backoff(new Backoff(Duration.ZERO, 1.5, Duration.ofSeconds(1)))
        .timeout(Duration.ofMinutes(3))
        .idleTimeout(Duration.ofMinutes(1))
        .executor(ExecutorKind.DOCKER)
        .image("img:1")
        .docker(new DockerOptions(1.0, "1g", "none", List.of()))
        .env(Map.of("A", "1"))
        .credentials(List.of(new CredentialRef("gh", "GH_TOKEN")))
        .outputs(Map.of("o", new OutputSpec.FileOutput("o.txt")))
        .continueOnFailure(true)
        .budget(new Budget(BigDecimal.ONE, 10L))
        .price(new Price(BigDecimal.ONE, BigDecimal.TEN, null))
        .onConflict(OnConflict.AGENT)
        .approval(new Approval("ship?", List.of("alice")))
        .logs(new Logs(64L << 20))
        .build();
  }

  private static NodeSpec defaults() {
    return NodeSpec.builder(null)
        .agent("claude")
        .uses("d.yaml")
        .with(Map.of("focus", "d"))
        .prompt("dp")
        .promptFile("d.md")
        .command(CommandSpec.shell("d"))
        .model("dm")
        .args(List.of("--d"))
        .endpoint("http://127.0.0.1:2/v1")
        .context(List.of(new ContextSource.FileContext("d")))
        .checks(new CheckSpec.Exists(List.of("d")))
        .attempts(2)
        .backoff(Backoff.DEFAULT)
        .timeout(Duration.ofMinutes(9))
        .idleTimeout(Duration.ofMinutes(8))
        .executor(ExecutorKind.LOCAL)
        .image("d:1")
        .docker(new DockerOptions(2.0, null, null, null))
        .env(Map.of("D", "1"))
        .credentials(List.of(CredentialRef.named("d")))
        .outputs(Map.of("d", new OutputSpec.JsonOutput("d.json")))
        .continueOnFailure(false)
        .budget(new Budget(BigDecimal.TEN, null))
        .price(new Price(BigDecimal.TEN, BigDecimal.TEN, null))
        .onConflict(OnConflict.FAIL)
        .approval(new Approval(null, List.of()))
        .logs(Logs.UNLIMITED)
        .build();
  }

  private static Object get(RecordComponent c, NodeSpec n) throws ReflectiveOperationException {
    return c.getAccessor().invoke(n);
  }

  @Test
  void everyComponentIsSetByTheBuilderAndKeptByToBuilder() throws Exception {
    NodeSpec full = full();
    for (RecordComponent c : NodeSpec.class.getRecordComponents()) {
      assertThat(get(c, full)).as(c.getName()).isNotNull();
    }
    assertThat(full.toBuilder().build()).isEqualTo(full);
  }

  @Test
  void overTakesEveryAbsentKeyFromTheDefaultsAndKeepsEverySetOne() throws Exception {
    NodeSpec empty = NodeSpec.builder("n").build();
    NodeSpec inherited = empty.over(defaults());
    NodeSpec own = full().over(defaults());
    for (RecordComponent c : NodeSpec.class.getRecordComponents()) {
      switch (c.getName()) {
        case "id" -> assertThat(inherited.id()).isEqualTo("n");
        case "needs" -> assertThat(inherited.needs()).isEmpty();
        case "env" -> {
          assertThat(inherited.env()).containsExactly(Map.entry("D", "1"));
          assertThat(own.env()).containsExactly(Map.entry("D", "1"), Map.entry("A", "1"));
        }
        default -> {
          assertThat(get(c, inherited)).as(c.getName()).isEqualTo(get(c, defaults()));
          assertThat(get(c, own)).as(c.getName()).isEqualTo(get(c, full()));
        }
      }
    }
  }
}
