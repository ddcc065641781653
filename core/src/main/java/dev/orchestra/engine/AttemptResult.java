package dev.orchestra.engine;

import dev.orchestra.agent.AgentResult;
import java.util.Objects;

/** What one attempt of a node leads to: the node's end, another attempt, or a wait. */
sealed interface AttemptResult {

  /** The node's attempts are over, with this outcome. */
  record Done(NodeOutcome outcome) implements AttemptResult {
    public Done {
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  /**
   * The attempt's work was not accepted (the agent failed, a check failed): the next attempt, if
   * the node has one left, gets {@code feedback}.
   *
   * @param ifLast the node's outcome when this was its last attempt
   * @param reason why, for {@code node_retrying}
   * @param feedback what the next attempt's prompt is told ({@link Feedback})
   * @param agent what the agent said (its session is resumed, its output kept)
   */
  record Rejected(NodeOutcome ifLast, String reason, String feedback, AgentResult agent)
      implements AttemptResult {
    public Rejected {
      Objects.requireNonNull(ifLast, "ifLast");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(feedback, "feedback");
      Objects.requireNonNull(agent, "agent");
    }
  }

  /**
   * The provider refused for its rate limit: the node waits and starts the attempt again, which
   * does not count against its {@code attempts}.
   *
   * @param reason e.g. {@code rate limited: HTTP 429}
   * @param agent what the agent said (its reset hint, its session)
   */
  record RateLimited(String reason, AgentResult agent) implements AttemptResult {
    public RateLimited {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(agent, "agent");
    }
  }
}
