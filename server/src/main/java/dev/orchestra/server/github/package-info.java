/**
 * GitHub pull-request triggers (docs/github.md): {@code POST /webhooks/github} verified by its HMAC
 * signature ({@link WebhookSignature}), deliveries recorded once ({@link Deliveries}), the server's
 * GitHub settings and per-repository trust policy ({@link GitHubConfig}), what the calls carry (a
 * token, or a GitHub App's installation tokens: {@link GitHubApp}) and what the head shows (commit
 * statuses or check runs: {@link HeadChecks}); the runs and approvals kept across a restart ({@link
 * PullRequestRuns}, {@link StateFile}).
 */
package dev.orchestra.server.github;
