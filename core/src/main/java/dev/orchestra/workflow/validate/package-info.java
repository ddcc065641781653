/**
 * Validation of a parsed workflow: every problem at once, each at its place in the file
 * (docs/workflow.md, "Validation").
 *
 * <p>{@link dev.orchestra.workflow.validate.WorkflowValidator} checks one workflow and the files it
 * composes with {@code uses}; {@link dev.orchestra.workflow.validate.Workflows} parses and
 * validates in one call for the engine and the front ends. Depends on {@code workflow}, {@code
 * workflow.parse}, {@code template} and JGraphT.
 */
package dev.orchestra.workflow.validate;
