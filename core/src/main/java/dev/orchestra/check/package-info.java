/**
 * Checks that gate a node (docs/checks.md): the {@link dev.orchestra.check.Check} interface, the
 * built-in kinds from {@link dev.orchestra.check.Checks}, and {@link dev.orchestra.check.Glob} for
 * workspace-relative globs. The critic reaches an agent through {@link
 * dev.orchestra.check.AgentCall}, which the engine puts in the {@link
 * dev.orchestra.check.CheckContext}, so that this package does not depend on the engine. Depends on
 * {@code workflow}, {@code exec} and Jackson (to read a critic's verdict).
 */
package dev.orchestra.check;
