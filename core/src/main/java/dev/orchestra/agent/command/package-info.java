/**
 * The {@code command} agent (docs/workflow.md, "The command agent"): any executable, driven through
 * files and environment variables. Depends on {@code agent}, {@code exec}, {@code workflow} and
 * {@code event}.
 */
package dev.orchestra.agent.command;
