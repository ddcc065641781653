/**
 * {@code {{ … }}} references in workflow text (docs/workflow.md): parsing with offsets, and
 * rendering by plain text substitution — values are never passed through a shell.
 *
 * <p>Depends on nothing but the JDK and {@link dev.orchestra.OrchestraException}.
 */
package dev.orchestra.template;
