package dev.orchestra.workflow;

/**
 * Where nodes work. Absent parts are {@code null}.
 *
 * @param repo a path or git URL; {@code null} means the current directory with no git handling
 * @param ref branch, tag or commit to start from (a template)
 * @param isolation shared directory or a branch per node
 * @param branchPrefix prefix of the branches a run creates
 * @param push whether to push the run's branches
 * @param remote the remote to push to (default {@code origin})
 */
public record WorkspaceSpec(
    String repo,
    String ref,
    Isolation isolation,
    String branchPrefix,
    Boolean push,
    String remote) {
  public static final WorkspaceSpec CURRENT_DIRECTORY =
      new WorkspaceSpec(null, null, Isolation.SHARED, null, false, null);
}
