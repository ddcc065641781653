package dev.orchestra.workflow;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed workflow file (docs/workflow.md). Immutable; maps keep the file's order.
 *
 * @param version the format version, 1
 * @param name the workflow's name, {@code [a-z0-9][a-z0-9_-]*}
 * @param description free text; may be {@code null}
 * @param inputs declared inputs
 * @param defaults values for node keys that nodes do not set; never {@code null}
 * @param limits run-wide limits; never {@code null}
 * @param workspace where nodes work; never {@code null}
 * @param nodes the nodes as written, by id
 * @param outputs declared outputs (for use by other workflows)
 * @param on the GitHub events that start it ({@code on:}); never {@code null}
 * @param sourceMap where each key and value stands in the file
 */
public record Workflow(
    int version,
    String name,
    String description,
    Map<String, InputSpec> inputs,
    NodeSpec defaults,
    Limits limits,
    WorkspaceSpec workspace,
    Map<String, NodeSpec> nodes,
    Map<String, WorkflowOutput> outputs,
    Triggers on,
    SourceMap sourceMap) {

  public Workflow {
    inputs = ordered(inputs);
    defaults = defaults != null ? defaults : NodeSpec.builder(null).build();
    limits = limits != null ? limits : Limits.NONE;
    workspace = workspace != null ? workspace : WorkspaceSpec.CURRENT_DIRECTORY;
    nodes = ordered(nodes);
    outputs = ordered(outputs);
    on = on != null ? on : Triggers.NONE;
    sourceMap = sourceMap != null ? sourceMap : SourceMap.empty(null);
  }

  /** A workflow without triggers. */
  public Workflow(
      int version,
      String name,
      String description,
      Map<String, InputSpec> inputs,
      NodeSpec defaults,
      Limits limits,
      WorkspaceSpec workspace,
      Map<String, NodeSpec> nodes,
      Map<String, WorkflowOutput> outputs,
      SourceMap sourceMap) {
    this(
        version,
        name,
        description,
        inputs,
        defaults,
        limits,
        workspace,
        nodes,
        outputs,
        null,
        sourceMap);
  }

  /** This workflow with {@code ws} as its workspace. */
  public Workflow withWorkspace(WorkspaceSpec ws) {
    return new Workflow(
        version, name, description, inputs, defaults, limits, ws, nodes, outputs, on, sourceMap);
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /** The file this workflow was read from, or {@code null} when built in code. */
  public Path file() {
    return sourceMap.file();
  }

  /** The node {@code id} with the workflow's defaults applied, or {@code null} if none. */
  public NodeSpec effectiveNode(String id) {
    NodeSpec node = nodes.get(id);
    return node == null ? null : node.over(defaults);
  }
}
