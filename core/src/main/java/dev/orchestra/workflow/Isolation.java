package dev.orchestra.workflow;

/** How nodes share the workspace. */
public enum Isolation {
  /** All nodes work in one directory. */
  SHARED,
  /** Each node works in its own git worktree and branch. */
  BRANCH
}
