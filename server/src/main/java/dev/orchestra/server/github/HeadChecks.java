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
  /**
   * One workflow's check on one head.
   *
   * @param repository {@code owner/name}
   * @param number the pull request's number
   * @param headSha the commit the check is on
   * @param workflow the workflow's name (its file's without a {@code name})
   */
  record Check(String repository, int number, String headSha, String workflow) {}

  /** The workflow waits for an approval of the head, for the reason {@code why}. */
  void waiting(Check c, String why);

  /** The workflow does not run on the head, for {@code problem} (its file is invalid, say). */
  void notStarted(Check c, String problem);

  /** Run {@code runId} started; {@code link} is the run in the UI (may be null). */
  void running(Check c, String runId, URI link);

  /**
   * Run {@code runId} ended with {@code status} (null when its result is not recorded); {@code
   * summary} is its DAG's table in Markdown.
   */
  void finished(Check c, String runId, RunStatus status, URI link, String summary);
}
