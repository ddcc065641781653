package dev.orchestra.workflow;

/**
 * An output a workflow declares, so that a workflow using it ({@code uses}) can read it.
 *
 * @param value a template, typically {@code {{ nodes.ID.output }}}
 * @param description what it holds; may be {@code null}
 */
public record WorkflowOutput(String value, String description) {}
