/**
 * GitHub pull-request triggers (docs/github.md): {@code POST /webhooks/github} verified by its HMAC
 * signature ({@link WebhookSignature}), deliveries recorded once ({@link Deliveries}), the server's
 * GitHub settings and per-repository trust policy ({@link GitHubConfig}).
 */
package dev.orchestra.server.github;
