package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeRulesTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void rejectsUnknownAgentWithDidYouMean() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            agent: cluade
            prompt: Plan it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:12: error: unknown agent 'cluade' in node 'plan'; did you mean 'claude'?");
  }

  @Test
  void rejectsCredentialWithoutVariableOnCommandNode() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          deploy:
            agent: command
            command: ./deploy.sh
            credentials: [{DEPLOY_TOKEN: deploy}, registry]
          plan:
            prompt: Plan it.
            credentials: [anthropic]
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:43: error: node 'deploy' runs agent 'command', which has no usual variable"
                + " for credential 'registry'; name the variable it gets, e.g. credentials:"
                + " [{MY_TOKEN: registry}]");
  }

  @Test
  void rejectsUnknownAgentInDefaultsAndCriticOnce() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults:
          agent: gpt
        nodes:
          plan:
            prompt: Plan it.
            checks:
              - critic: {agent: gemnii, prompt: "Is it good"}
          build:
            prompt: Build it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:10: error: unknown agent 'gpt' in 'defaults'; known agents: 'claude',"
                + " 'codex', 'command', 'gemini'",
            "flow.yaml:8:25: error: unknown agent 'gemnii' in node 'plan' (critic); did you mean"
                + " 'gemini'?");
  }

  @Test
  void acceptsAgentsConfiguredInOptions() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        limits:
          agents: {aider: 1}
        nodes:
          plan:
            agent: aider
            prompt: Plan it.
        """);

    assertThat(
            fx.validationProblems(
                "flow.yaml", ValidationOptions.defaults().withAgents(Set.of("aider", "claude"))))
        .isEmpty();
  }

  @Test
  void rejectsCommandAgentWithoutCommand() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          lint:
            agent: command
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:5: error: node 'lint' uses agent 'command' but has no 'command'; add"
                + " command: [PROGRAM, ARG…] or command: \"shell line\"");
  }

  @Test
  void rejectsCommandForAgentThatIsNotCommand() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          lint:
            agent: codex
            prompt: Lint.
            command: [make, lint]
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:5: error: node 'lint' has a 'command' but its agent is 'codex'; set"
                + " agent: command to run it, or remove 'command'");
  }

  @Test
  void rejectsNodeWithoutPrompt() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            needs: []
          run:
            agent: command
            command: make
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:3: error: node 'plan' has no prompt; agent 'claude' needs a task, so add"
                + " 'prompt' or 'prompt_file'");
  }

  @Test
  void rejectsBothPromptAndPromptFile() {
    fx.write("plan.md", "Plan it.");
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan it.
            prompt_file: plan.md
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:5: error: node 'plan' has both 'prompt' and 'prompt_file'; keep one");
  }

  @Test
  void rejectsUnreadablePromptFileNamingResolvedPath() throws Exception {
    // A repository: ../prompts from flows/ stays inside it.
    Files.createDirectories(dir.resolve(".git"));
    fx.write("prompts/build.md", "Build it.");
    fx.write(
        "flows/flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt_file: prompts/plan.md
          build:
            prompt_file: ../prompts/build.md
        """);

    assertThat(fx.validationProblems("flows/flow.yaml"))
        .containsExactly(
            "flows/flow.yaml:4:18: error: prompt_file 'prompts/plan.md' cannot be read: "
                + dir.resolve("flows/prompts/plan.md")
                + " does not exist; the path is relative to the directory of "
                + dir.resolve("flows/flow.yaml"));
  }

  @Test
  void rejectsDockerExecutorWithoutImage() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          build:
            prompt: Build it.
            executor: docker
          test:
            prompt: Test it.
            executor: docker
            image: orchestra-agent:latest
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:15: error: node 'build' runs with executor 'docker' but names no"
                + " 'image'; add image: NAME:TAG");
  }

  @Test
  void reportsDockerDefaultWithoutImageOnceAtDefaults() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults:
          executor: docker
        nodes:
          build: {prompt: Build it.}
          test: {prompt: Test it.}
          lint: {prompt: Lint it., image: "linter:1"}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:13: error: 'defaults' set executor 'docker' but no 'image', and node(s)"
                + " 'build', 'test' name none either; add image: NAME:TAG to 'defaults' or to those"
                + " nodes");
  }

  @Test
  void rejectsAgentKeysOnComposedNode() {
    fx.write(
        "review.yaml",
        """
        version: 1
        nodes:
          review: {prompt: Review.}
        """);
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults:
          agent: codex
        nodes:
          review:
            uses: review.yaml
            agent: claude
            prompt: Review it.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:7:5: error: node 'review' uses a workflow, so 'agent' does not apply (the"
                + " used workflow's nodes set their own); remove it",
            "flow.yaml:8:5: error: node 'review' uses a workflow, so 'prompt' does not apply (the"
                + " used workflow's nodes set their own); remove it");
  }

  @Test
  void rejectsWithOnNodeThatUsesNothing() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan it.
            with: {focus: security}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:5: error: node 'plan' has 'with' but no 'uses'; 'with' fills the inputs"
                + " of a used workflow, so add 'uses' or remove 'with'");
  }

  @Test
  void rejectsLimitForUnknownAgent() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        limits:
          agents:
            claude: 2
            codx: 1
        nodes:
          plan: {prompt: Plan it.}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:5: error: limit for unknown agent 'codx'; did you mean 'codex'?");
  }

  @Test
  void rejectsUsesAndWithInDefaults() {
    fx.write("review.yaml", "version: 1\nnodes:\n  r: {prompt: R.}\n");
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults:
          uses: review.yaml
          with: {focus: all}
        nodes:
          plan: {prompt: Plan.}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:3: error: 'uses' cannot be a default: it would make every node run the"
                + " same workflow; set it on the node that composes a workflow",
            "flow.yaml:4:3: error: 'with' cannot be a default: it would make every node run the"
                + " same workflow; set it on the node that composes a workflow");
  }
}
