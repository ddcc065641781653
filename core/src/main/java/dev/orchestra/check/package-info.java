/**
 * Checks that gate a node (SPEC §2): the {@link dev.orchestra.check.Check} interface, the built-in
 * kinds from {@link dev.orchestra.check.Checks}, and {@link dev.orchestra.check.Glob} for
 * workspace-relative globs. Depends on {@code workflow} and {@code exec}.
 */
package dev.orchestra.check;
