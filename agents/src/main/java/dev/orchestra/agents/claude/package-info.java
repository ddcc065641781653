/**
 * The {@code claude} agent: Claude Code driven headless through its {@code stream-json} output.
 * Depends on {@code dev.orchestra.agents} and core's {@code agent}, {@code exec}, {@code event}.
 */
package dev.orchestra.agents.claude;
