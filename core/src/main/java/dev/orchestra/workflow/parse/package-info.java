/**
 * Reading workflow files (docs/workflow.md) into the {@link dev.orchestra.workflow} model.
 *
 * <p>{@link dev.orchestra.workflow.parse.WorkflowParser} is the entry point: YAML or JSON in, a
 * best-effort {@link dev.orchestra.workflow.Workflow} and every {@link
 * dev.orchestra.workflow.Problem} out, each at a real line and column. {@link
 * dev.orchestra.workflow.parse.Durations} reads and writes durations; {@link
 * dev.orchestra.workflow.parse.Suggestions} makes did-you-mean hints. The JSON Schema published for
 * editors ({@code dev/orchestra/workflow/workflow.schema.json}) names its definitions after the
 * kinds in {@link dev.orchestra.workflow.parse.WorkflowParser#KNOWN_KEYS}, and a test keeps the two
 * in agreement.
 *
 * <p>Depends on {@code dev.orchestra.workflow} and Jackson (core, YAML) only.
 */
package dev.orchestra.workflow.parse;
