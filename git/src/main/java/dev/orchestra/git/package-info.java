/**
 * Git workspaces: a worktree and branch per node, merged along the DAG ({@code workspace},
 * docs/workspaces.md).
 */
package dev.orchestra.git;
