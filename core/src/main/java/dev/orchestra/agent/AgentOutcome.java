package dev.orchestra.agent;

/** How an agent's attempt ended, before checks. */
public enum AgentOutcome {
  /** The agent finished its turn; checks decide the rest. */
  COMPLETED,
  /** The agent failed (non-zero exit, API error); consumes an attempt. */
  FAILED,
  /** The provider refused for a rate limit or overload; retried without consuming an attempt. */
  RATE_LIMITED,
  /** The credentials were refused; not retried. */
  AUTH_FAILED
}
