/**
 * Git workspaces: a worktree and branch per node, merged along the DAG (SPEC §1 {@code workspace}).
 */
package dev.orchestra.git;
