package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.exec.Executor;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every attempt of one node works with, prepared once on the node's thread before its first
 * attempt: the agent, the executors (tracked by the node's control, so that a stop reaches every
 * process), the rendered environment, the node as its agent sees it, and the prompt every attempt
 * starts from.
 *
 * @param node the node
 * @param control stops the node
 * @param agent the node's agent
 * @param executor the node's executor, tracked
 * @param local the local executor, tracked, for run checks that say {@code executor: local}; empty
 *     when none is configured
 * @param env the node's {@code env}, rendered: the variables of check commands and critics
 * @param agentEnv {@code env} with the node's credentials: for the agent's process only
 * @param agentSpec the node as its agent and critics see it: {@code model} and {@code endpoint}
 *     rendered
 * @param basePrompt the assembled prompt, after the instructions for merge conflicts if any
 * @param workspace the node's directory
 * @param files the path rule for the node's workspace: what its outputs and checks may read
 */
record PreparedNode(
    GraphNode node,
    NodeControl control,
    Agent agent,
    Executor executor,
    Optional<Executor> local,
    Map<String, String> env,
    Map<String, String> agentEnv,
    NodeSpec agentSpec,
    String basePrompt,
    Path workspace,
    WorkspacePaths files) {

  /**
   * Prepares {@code node} to work in {@code workspace}.
   *
   * @param conflict instructions to resolve the conflicts of the merged upstream work first, or
   *     {@code null}
   * @throws OrchestraException when the node cannot run: no such agent or executor, a missing
   *     credential, a template without a value, an unreadable context file
   */
  static PreparedNode prepare(
      RunContext run, GraphNode node, NodeControl control, Path workspace, String conflict) {
    RunServices services = run.services();
    NodeSpec spec = node.spec;
    Agent agent = AgentProcess.find(services.agents(), node.agent());
    ExecutorKind kind = spec.executorOrDefault();
    Function<NodeSpec, Executor> perNode = services.executors().get(kind);
    if (perNode == null) {
      throw new OrchestraException(
          kind == ExecutorKind.DOCKER
              ? "the Docker executor is not available in this build; use 'executor: local'"
              : "no executor '" + kind.name().toLowerCase(Locale.ROOT) + "' is configured");
    }
    WorkspacePaths files =
        WorkspacePaths.workspace(workspace, run.graph().trust, spec.timeoutOrDefault());
    Executor base = perNode.apply(ContainerRules.confined(node.id, spec, files));
    // A run check with 'executor: local' runs here even when the node runs in a container.
    Optional<Executor> local =
        Optional.ofNullable(services.executors().get(ExecutorKind.LOCAL))
            .map(localPerNode -> control.track(localPerNode.apply(spec)));
    Map<String, String> credentials =
        NodeCredentials.resolve(
            node.id, node.agent(), spec.credentialsOrEmpty(), services.credentials(), run.masker());
    Executor executor = control.track(base);
    Map<String, String> env = new LinkedHashMap<>();
    spec.envOrEmpty()
        .forEach(
            (k, v) -> env.put(k, render(run, node, v, "env " + k + " of node '" + node.id + "'")));
    NodeSpec agentSpec =
        spec.toBuilder()
            .model(render(run, node, spec.model(), "model of node '" + node.id + "'"))
            .endpoint(render(run, node, spec.endpoint(), "endpoint of node '" + node.id + "'"))
            .build();
    String prompt =
        services
            .prompts()
            .assemble(node, files, run.graph().repository, run.runId(), services.env());
    if (conflict != null) {
      prompt = prompt.isEmpty() ? conflict : conflict + "\n\n" + prompt;
    }
    Map<String, String> agentEnv = new LinkedHashMap<>(env);
    agentEnv.putAll(credentials);
    return new PreparedNode(
        node,
        control,
        agent,
        executor,
        local,
        Collections.unmodifiableMap(env),
        Collections.unmodifiableMap(agentEnv),
        agentSpec,
        prompt,
        workspace,
        files);
  }

  /** {@code template} rendered in the node's scope; {@code model}, {@code endpoint} may be one. */
  static String render(RunContext run, GraphNode node, String template, String where) {
    return template == null
        ? null
        : node.scope.render(template, where, run.runId(), run.services().env());
  }
}
