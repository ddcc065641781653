package dev.orchestra.server.github;

import dev.orchestra.event.RunStatus;
import java.net.URI;

/**
 * Token mode's {@link HeadChecks}: the commit status {@code orchestra/WORKFLOW} of the head,
 * pending while it waits or runs, then success, failure or error. Thread-safe (stateless).
 */
final class CommitStatuses implements HeadChecks {
  private final GitHubApi api;

  CommitStatuses(GitHubApi api) {
    this.api = api;
  }

  @Override
  public void waiting(Check c, String why) {
    set(c, "pending", "waiting for approval: /orchestra approve", null);
  }

  @Override
  public void notStarted(Check c, String problem) {
    set(c, "error", problem, null);
  }

  @Override
  public void running(Check c, String runId, URI link) {
    set(c, "pending", "running", link);
  }

  @Override
  public void finished(Check c, String runId, RunStatus status, URI link, String summary) {
    // A commit status has no "cancelled": a cancelled run, or one without a result, is an error.
    String state =
        status == RunStatus.SUCCEEDED
            ? "success"
            : status == RunStatus.FAILED ? "failure" : "error";
    set(c, state, "run " + (status == null ? "ended" : status.wireName()), link);
  }

  private void set(Check c, String state, String description, URI link) {
    api.status(c.repository(), c.headSha(), state, "orchestra/" + c.workflow(), description, link);
  }
}
