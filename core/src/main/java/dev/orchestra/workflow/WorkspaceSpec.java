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
 * @param credentials the name of a stored credential: a token ({@code TOKEN} or {@code USER:TOKEN})
 *     for an https {@code repo}, or an ssh private key for an ssh one; never sent over other
 *     transports, never printed
 * @param author the author and committer of the run's commits, {@code Name <email>}
 */
public record WorkspaceSpec(
    String repo,
    String ref,
    Isolation isolation,
    String branchPrefix,
    Boolean push,
    String remote,
    String credentials,
    String author) {
  public static final WorkspaceSpec CURRENT_DIRECTORY =
      new WorkspaceSpec(null, null, Isolation.SHARED, null, false, null);

  /** A workspace with no credentials and the default author. */
  public WorkspaceSpec(
      String repo,
      String ref,
      Isolation isolation,
      String branchPrefix,
      Boolean push,
      String remote) {
    this(repo, ref, isolation, branchPrefix, push, remote, null, null);
  }

  /** This workspace with {@code ref} replaced (the engine renders the template). */
  public WorkspaceSpec withRef(String ref) {
    return new WorkspaceSpec(repo, ref, isolation, branchPrefix, push, remote, credentials, author);
  }
}
