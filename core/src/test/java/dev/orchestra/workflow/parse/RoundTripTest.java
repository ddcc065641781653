package dev.orchestra.workflow.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.workflow.Backoff;
import dev.orchestra.workflow.Budget;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.CommandSpec;
import dev.orchestra.workflow.ContextSource;
import dev.orchestra.workflow.CredentialRef;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.OnConflict;
import dev.orchestra.workflow.OutputSpec;
import dev.orchestra.workflow.Price;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkflowOutput;
import dev.orchestra.workflow.WorkspaceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads complete example files into the model and checks every field. */
class RoundTripTest {

  static Path resource(String name) {
    try {
      return Path.of(RoundTripTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Workflow parseClean(String name) {
    ParseResult r = WorkflowParser.create().parse(resource(name));
    assertThat(r.problems()).isEmpty();
    assertThat(r.ok()).isTrue();
    return r.workflow();
  }

  @Test
  void readsTheSpecExampleFieldByField() {
    Workflow w = parseClean("spec-example.yaml");
    assertThat(w.version()).isEqualTo(1);
    assertThat(w.name()).isEqualTo("add-feature");
    assertThat(w.description()).isEqualTo("Plan, build, test and review a feature.");
    assertThat(w.inputs())
        .containsExactly(
            Map.entry("task", new InputSpec("What to build", true, null)),
            Map.entry("base", new InputSpec(null, false, "main")));
    NodeSpec d = w.defaults();
    assertThat(d.id()).isNull();
    assertThat(d.agent()).isEqualTo("claude");
    assertThat(d.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.attempts()).isEqualTo(3);
    assertThat(d.backoff())
        .isEqualTo(new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(2)));
    assertThat(w.limits().concurrency()).isEqualTo(4);
    assertThat(w.limits().agents()).containsExactly(Map.entry("claude", 2));
    assertThat(w.limits().budget()).isEqualTo(new Budget(new BigDecimal("10"), 2_000_000L));
    assertThat(w.limits().timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(w.workspace())
        .isEqualTo(
            new WorkspaceSpec(
                ".", "{{ inputs.base }}", Isolation.BRANCH, "orchestra/", false, null));
    assertThat(w.nodes()).containsOnlyKeys("plan", "backend", "frontend", "review");
    assertThat(w.nodes().keySet()).containsExactly("plan", "backend", "frontend", "review");

    NodeSpec plan = w.nodes().get("plan");
    assertThat(plan)
        .isEqualTo(
            NodeSpec.builder("plan")
                .prompt("Write PLAN.md for: {{ inputs.task }}")
                .context(List.of(new ContextSource.FileContext("docs/ARCHITECTURE.md")))
                .checks(new CheckSpec.Exists(List.of("PLAN.md")))
                .outputs(Map.of("plan", new OutputSpec.FileOutput("PLAN.md")))
                .build());
    assertThat(w.nodes().get("backend"))
        .isEqualTo(
            NodeSpec.builder("backend")
                .needs("plan")
                .agent("codex")
                .prompt("Implement the backend part of this plan:\n{{ nodes.plan.outputs.plan }}\n")
                .checks(
                    new CheckSpec.Run(
                        "mvn -q -pl backend test", null, Duration.ofMinutes(10), null),
                    new CheckSpec.Junit("backend/target/surefire-reports/*.xml", 1))
                .build());
    assertThat(w.nodes().get("frontend"))
        .isEqualTo(
            NodeSpec.builder("frontend")
                .needs("plan")
                .agent("gemini")
                .prompt("Implement the UI part of: {{ nodes.plan.outputs.plan }}")
                .executor(ExecutorKind.DOCKER)
                .image("orchestra-agent:latest")
                .credentials(List.of(CredentialRef.named("gemini")))
                .build());
    assertThat(w.nodes().get("review"))
        .isEqualTo(
            NodeSpec.builder("review")
                .needs("backend", "frontend")
                .uses("./agents/review.yaml")
                .with(Map.of("focus", "security"))
                .build());
    assertThat(w.outputs()).isEmpty();
    assertThat(w.effectiveNode("backend").attemptsOrDefault()).isEqualTo(3);
  }

  @Test
  void readsEveryKeyOfTheFormat() {
    Workflow w = parseClean("complete.yaml");
    assertThat(w.name()).isEqualTo("complete_example-1");
    assertThat(w.inputs().get("verbose")).isEqualTo(new InputSpec(null, false, null));
    assertThat(w.outputs())
        .containsExactly(
            Map.entry("summary", new WorkflowOutput("{{ nodes.review.output }}", "The review")),
            Map.entry("plan", new WorkflowOutput("{{ nodes.plan.outputs.plan }}", null)));
    assertThat(w.defaults().model()).isEqualTo("sonnet");
    assertThat(w.defaults().env())
        .containsExactly(Map.entry("LOG_LEVEL", "debug"), Map.entry("RETRIES", "2"));
    assertThat(w.limits().agents()).containsOnly(Map.entry("claude", 2), Map.entry("codex", 1));
    assertThat(w.limits().budget()).isEqualTo(new Budget(new BigDecimal("10.5"), 2_000_000L));
    assertThat(w.workspace())
        .isEqualTo(
            new WorkspaceSpec(
                ".", "{{ inputs.base }}", Isolation.BRANCH, "orchestra/", true, "upstream"));

    NodeSpec plan = w.nodes().get("plan");
    assertThat(plan.context())
        .containsExactly(
            new ContextSource.FileContext("docs/ARCHITECTURE.md"),
            new ContextSource.UrlContext("https://example.com/guide.md"));
    assertThat(plan.checks())
        .containsExactly(
            new CheckSpec.Exists(List.of("PLAN.md")),
            new CheckSpec.Exists(List.of("PLAN.md", "docs/*.md")),
            new CheckSpec.Critic(null, "The plan names every module it touches.", null));
    assertThat(plan.outputs())
        .containsExactly(
            Map.entry("plan", new OutputSpec.FileOutput("PLAN.md")),
            Map.entry("tasks", new OutputSpec.JsonOutput("tasks.json")));
    assertThat(plan.budget()).isEqualTo(new Budget(BigDecimal.ONE, 100_000L));

    NodeSpec backend = w.nodes().get("backend");
    assertThat(backend.model()).isEqualTo("gpt-5-codex");
    assertThat(backend.args()).containsExactly("--sandbox", "workspace-write");
    assertThat(backend.endpoint()).isEqualTo("http://127.0.0.1:8080/v1");
    assertThat(backend.promptFile()).isEqualTo("prompts/backend.md");
    assertThat(backend.prompt()).isNull();
    assertThat(backend.context()).containsExactly(new ContextSource.NodeContext("plan"));
    assertThat(backend.checks())
        .containsExactly(
            new CheckSpec.Run(
                "mvn -q -pl backend test",
                "backend tests",
                Duration.ofMinutes(10),
                ExecutorKind.LOCAL),
            new CheckSpec.Junit("backend/target/surefire-reports/*.xml", 5),
            new CheckSpec.Critic("claude", "No TODOs are left.", "opus"));
    assertThat(backend.attempts()).isEqualTo(5);
    assertThat(backend.backoff()).isEqualTo(new Backoff(Duration.ZERO, 1.5, Duration.ofMinutes(1)));
    assertThat(backend.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(backend.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(backend.continueOnFailure()).isTrue();
    assertThat(backend.onConflict()).isEqualTo(OnConflict.AGENT);
    assertThat(backend.price())
        .isEqualTo(
            new Price(new BigDecimal("1.25"), new BigDecimal("10"), new BigDecimal("0.125")));
    assertThat(w.defaults().price())
        .isEqualTo(new Price(new BigDecimal("3"), new BigDecimal("15"), null));
    assertThat(w.effectiveNode("frontend").price()).isEqualTo(w.defaults().price());

    NodeSpec frontend = w.nodes().get("frontend");
    assertThat(frontend.needs()).containsExactly("plan");
    assertThat(frontend.docker())
        .isEqualTo(new DockerOptions(1.5, "4g", "none", List.of("/var/cache/m2:/root/.m2:ro")));
    assertThat(frontend.credentials())
        .containsExactly(
            CredentialRef.named("gemini"), new CredentialRef("github-bot", "GITHUB_TOKEN"));
    assertThat(frontend.env()).containsExactly(Map.entry("CI", "true"));
    assertThat(frontend.onConflict()).isEqualTo(OnConflict.FAIL);
    assertThat(w.effectiveNode("frontend").env())
        .containsExactly(
            Map.entry("LOG_LEVEL", "debug"), Map.entry("RETRIES", "2"), Map.entry("CI", "true"));

    assertThat(w.nodes().get("lint").command())
        .isEqualTo(CommandSpec.argv(List.of("sh", "-c", "make lint")));
    assertThat(w.nodes().get("package").command())
        .isEqualTo(CommandSpec.shell("make package > out/package.log"));
    assertThat(w.nodes().get("review").with())
        .containsExactly(Map.entry("focus", "security"), Map.entry("depth", "2"));
  }

  @Test
  void readsJsonIntoTheSameModelAsYaml() {
    Workflow yaml = parseClean("complete.yaml");
    Workflow json = parseClean("complete.json");
    assertThat(json).usingRecursiveComparison().ignoringFields("sourceMap").isEqualTo(yaml);
    assertThat(json.file().getFileName().toString()).isEqualTo("complete.json");
  }

  @Test
  void parsesGivenContentAsIfReadFromTheFile() throws IOException {
    Path file = resource("complete.yaml");
    String content;
    try {
      content = java.nio.file.Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ParseResult fromText = WorkflowParser.create().parse(file, content);
    assertThat(fromText.ok()).isTrue();
    assertThat(fromText.workflow())
        .usingRecursiveComparison()
        .ignoringFields("sourceMap")
        .isEqualTo(parseClean("complete.yaml"));
  }
}
