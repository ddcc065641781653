package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceRulesTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void acceptsReferencesToInputsAndTransitivelyNeededNodes() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        inputs:
          task: {required: true}
        workspace:
          ref: "{{ inputs.task }}"
        nodes:
          plan:
            prompt: "Plan {{ inputs.task }} in run {{ run.id }} as {{ env.USER }}"
            outputs:
              plan: {file: PLAN.md}
          build:
            needs: [plan]
            prompt: Build.
          test:
            needs: [build]
            prompt: |
              Test {{ nodes.plan.outputs.plan }} and {{ nodes.build.output }}.
            context:
              - node: plan
        outputs:
          result: "{{ nodes.test.output }}"
        """);

    assertThat(fx.validationProblems("flow.yaml")).isEmpty();
  }

  @Test
  void rejectsUnknownInputInPromptAtItsColumn() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        inputs:
          task: {}
        nodes:
          plan:
            prompt: "Plan {{ inputs.tsak }} now"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:19: error: unknown input 'tsak' in {{ inputs.tsak }}; did you mean"
                + " 'task'?");
  }

  @Test
  void refusesEnvReferencesToCredentialVariablesWhereverTemplatesApply() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          probe:
            agent: command
            command: cat
            prompt: "key {{ env.ORCHESTRA_CREDENTIAL_PROBE }}"
            env:
              KEY: "{{ env.orchestra_credential_deploy_key }}"
              USER_NAME: "{{ env.USER }}"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:18: error: {{ env.ORCHESTRA_CREDENTIAL_PROBE }} cannot be read:"
                + " ORCHESTRA_CREDENTIAL_* variables provide credentials, and templates never see a"
                + " credential (it would land unmasked in a prompt, an argument or a file); list it"
                + " on the node, e.g. credentials: [{PROBE: probe}], and read $PROBE in the node's"
                + " process",
            "flow.yaml:8:13: error: {{ env.orchestra_credential_deploy_key }} cannot be read:"
                + " ORCHESTRA_CREDENTIAL_* variables provide credentials, and templates never see a"
                + " credential (it would land unmasked in a prompt, an argument or a file); list it"
                + " on the node, e.g. credentials: [{DEPLOY_KEY: deploy_key}], and read $DEPLOY_KEY"
                + " in the node's process");
  }

  @Test
  void checksReferencesInModelAndEndpoint() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        inputs:
          gateway: {}
        nodes:
          plan:
            model: "{{ inputs.modle }}"
            endpoint: "{{ inputs.gateway }}/v1"
            prompt: Plan.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:13: error: unknown input 'modle' in {{ inputs.modle }}; declared inputs:"
                + " 'gateway' (declare it under 'inputs')");
  }

  @Test
  void locatesReferenceInsideMultiLineBlockPrompt() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: |
              First line mentions {{ inputs.task }}.
              Second line is plain.
                Indented: {{ inputs.task }} again.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:27: error: unknown input 'task' in {{ inputs.task }}; declared inputs:"
                + " none (declare it under 'inputs')",
            "flow.yaml:7:19: error: unknown input 'task' in {{ inputs.task }}; declared inputs:"
                + " none (declare it under 'inputs')");
  }

  @Test
  void rejectsReferenceToUnknownNodeWithDidYouMean() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan: {prompt: Plan.}
          build:
            needs: [plan]
            prompt: "Build {{ nodes.plna.output }}"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:20: error: unknown node 'plna' in {{ nodes.plna.output }}; did you mean"
                + " 'plan'?");
  }

  @Test
  void rejectsReferenceToNodeThatIsNotUpstream() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: "Plan, knowing {{ nodes.test.output }}"
          test:
            needs: [plan]
            prompt: Test.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:28: error: node 'plan' reads {{ nodes.test.output }} but does not need"
                + " 'test', so it may run first; add 'test' to its needs");
  }

  @Test
  void rejectsNodeReadingItsOwnOutput() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: "Improve {{ nodes.plan.output }}"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:22: error: node 'plan' cannot read its own output ({{ nodes.plan.output"
                + " }}); it exists only once the node has finished");
  }

  @Test
  void rejectsUndeclaredNamedOutput() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan.
            outputs:
              plan: {file: PLAN.md}
          build:
            needs: [plan]
            prompt: "{{ nodes.plan.outputs.plna }} and {{ nodes.plan.outputs.design }}"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:9:14: error: node 'plan' declares no output 'plna' for"
                + " {{ nodes.plan.outputs.plna }}; did you mean 'plan'?",
            "flow.yaml:9:48: error: node 'plan' declares no output 'design' for"
                + " {{ nodes.plan.outputs.design }}; declare it under the node's 'outputs', or"
                + " read {{ nodes.plan.output }} for its final message");
  }

  @Test
  void checksTemplatesInWithEnvContextCriticAndOutputs() {
    fx.write("review.yaml", "version: 1\ninputs:\n  focus: {}\nnodes:\n  r: {prompt: R.}\n");
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan.
            env:
              TASK: "{{ inputs.task }}"
            context:
              - file: "docs/{{ inputs.area }}/*.md"
            checks:
              - critic: {prompt: "Does it cover {{ inputs.goal }}?"}
          review:
            uses: review.yaml
            with:
              focus: "{{ nodes.plan.output }}"
        outputs:
          summary: {value: "{{ nodes.nope.output }}"}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:14: error: unknown input 'task' in {{ inputs.task }}; declared inputs:"
                + " none (declare it under 'inputs')",
            "flow.yaml:8:21: error: unknown input 'area' in {{ inputs.area }}; declared inputs:"
                + " none (declare it under 'inputs')",
            "flow.yaml:10:41: error: unknown input 'goal' in {{ inputs.goal }}; declared inputs:"
                + " none (declare it under 'inputs')",
            "flow.yaml:14:15: error: node 'review' reads {{ nodes.plan.output }} but does not"
                + " need 'plan', so it may run first; add 'plan' to its needs",
            "flow.yaml:16:21: error: unknown node 'nope' in {{ nodes.nope.output }}; no node has"
                + " that id");
  }

  @Test
  void rejectsNodeOutputsInDefaultsAndWorkspaceRef() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults:
          env: {PLAN: "{{ nodes.plan.output }}"}
        workspace:
          ref: "{{ nodes.plan.output }}"
        nodes:
          plan: {prompt: Plan.}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:3:16: error: {{ nodes.plan.output }} cannot be read here: 'defaults' apply"
                + " to every node, including the one producing it; move it to the nodes that need"
                + " that node",
            "flow.yaml:5:9: error: {{ nodes.plan.output }} cannot be read here: the workspace"
                + " 'ref' is resolved before any node runs");
  }

  @Test
  void rejectsMalformedTemplateAtItsPosition() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: 'Use {{ foo.bar }} and {{ inputs.x'
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:4:18: error: unknown reference '{{ foo.bar }}': a reference starts with"
                + " inputs, nodes, run or env (write '\\{{' for literal braces)",
            "flow.yaml:4:36: error: unclosed '{{' in template; close the reference with '}}', or"
                + " write '\\{{' for literal braces");
  }

  @Test
  void rejectsContextNodeThatIsUnknownOrNotUpstream() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          plan:
            prompt: Plan.
            context:
              - node: test
              - node: tset
          test:
            needs: [plan]
            prompt: Test.
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:6:15: error: node 'plan' reads context node 'test' but does not need"
                + " 'test', so it may run first; add 'test' to its needs",
            "flow.yaml:7:15: error: unknown node 'tset' in context node 'tset'; did you mean"
                + " 'test'?");
  }

  @Test
  void locatesReferenceInJsonWorkflow() {
    fx.write(
        "flow.json",
        """
        {"version": 1,
         "nodes": {"plan": {"prompt": "Plan \\"{{ inputs.task }}\\" now"}}}
        """);

    assertThat(fx.validationProblems("flow.json"))
        .containsExactly(
            "flow.json:2:39: error: unknown input 'task' in {{ inputs.task }}; declared inputs:"
                + " none (declare it under 'inputs')");
  }

  @Test
  void checksTheApprovalMessageLikeAPrompt() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        inputs:
          version: {}
        defaults:
          approval: {message: "Go on after {{ nodes.build.output }}?"}
        nodes:
          build:
            prompt: Build.
          deploy:
            needs: [build]
            prompt: Deploy.
            approval:
              message: "Deploy {{ inputs.verison }} ({{ nodes.build.output }}, {{ nodes.tset.output }})?"
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:36: error: {{ nodes.build.output }} cannot be read here: 'defaults' apply"
                + " to every node, including the one producing it; move it to the nodes that need"
                + " that node",
            "flow.yaml:13:24: error: unknown input 'verison' in {{ inputs.verison }}; did you mean"
                + " 'version'?",
            "flow.yaml:13:72: error: unknown node 'tset' in {{ nodes.tset.output }}; no node has"
                + " that id");
  }
}
