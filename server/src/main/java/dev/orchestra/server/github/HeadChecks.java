package dev.orchestra.server.github;

import dev.orchestra.event.RunStatus;
import java.net.URI;

/**
 * What a pull request's head shows of each of its workflows: commit statuses with a token ({@link
 * CommitStatuses}), check runs as a GitHub App ({@link CheckRuns}). Each method is one call or two
 * to GitHub and may throw {@link dev.orchestra.OrchestraException} when GitHub refuses; the caller
 * logs it. Implementations are thread-safe.
 */
interface HeadChecks {
  /** The workflow waits for an approval of the head, for the reason {@code why}. */
  void waiting(PullRequestTriggers.Target t, String workflow, String why);

  /** The workflow's file in the base branch is not valid: it cannot run. */
  void invalid(PullRequestTriggers.Target t, String workflow, String problem);

  /** Run {@code runId} of the workflow started; {@code link} is the run in the UI (may be null). */
  void running(PullRequestTriggers.Target t, String workflow, String runId, URI link);

  /**
   * Run {@code runId} ended with {@code status} (null when its result is not recorded); {@code
   * summary} is its DAG's table in Markdown.
   */
  void finished(
      PullRequestTriggers.Target t,
      String workflow,
      String runId,
      RunStatus status,
      URI link,
      String summary);
}
