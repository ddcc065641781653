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
  public void waiting(PullRequestTriggers.Target t, String workflow, String why) {
    set(t, workflow, "pending", "waiting for approval: /orchestra approve", null);
  }

  @Override
  public void invalid(PullRequestTriggers.Target t, String workflow, String problem) {
    set(t, workflow, "error", "invalid workflow: " + problem, null);
  }

  @Override
  public void running(PullRequestTriggers.Target t, String workflow, String runId, URI link) {
    set(t, workflow, "pending", "running", link);
  }

  @Override
  public void finished(
      PullRequestTriggers.Target t,
      String workflow,
      String runId,
      RunStatus status,
      URI link,
      String summary) {
    String state =
        status == null
            ? "error"
            : switch (status) {
              case SUCCEEDED -> "success";
              case FAILED -> "failure";
              default -> "error";
            };
    set(t, workflow, state, "run " + (status == null ? "ended" : status.wireName()), link);
  }

  private void set(
      PullRequestTriggers.Target t, String workflow, String state, String description, URI link) {
    api.status(t.repository(), t.headSha(), state, "orchestra/" + workflow, description, link);
  }
}
