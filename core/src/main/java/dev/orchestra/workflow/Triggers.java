package dev.orchestra.workflow;

import java.util.List;

/**
 * The workflow's {@code on:} key: which GitHub events start it when the server receives them
 * (docs/github.md). A run started by hand ignores it. Absent parts are {@code null}.
 *
 * @param pullRequest runs on a pull request's opened, synchronize, reopened and labeled events
 * @param comment runs on a {@code /orchestra run COMMAND} comment on a pull request
 */
public record Triggers(PullRequest pullRequest, Comment comment) {
  /** No trigger: the workflow runs only when started by hand. */
  public static final Triggers NONE = new Triggers(null, null);

  /**
   * {@code on.pull_request}.
   *
   * @param branches globs of the base branches whose pull requests it runs for; empty: any
   * @param paths globs of the changed files (one must match); empty: any change
   */
  public record PullRequest(List<String> branches, List<String> paths) {
    public PullRequest {
      branches = branches == null ? List.of() : List.copyOf(branches);
      paths = paths == null ? List.of() : List.copyOf(paths);
    }
  }

  /**
   * {@code on.comment}.
   *
   * @param command the NAME of {@code /orchestra run NAME key=value…}
   */
  public record Comment(String command) {}
}
