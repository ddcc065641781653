package dev.orchestra.agent;

import dev.orchestra.event.Usage;
import java.time.Duration;

/**
 * What one attempt of an agent produced.
 *
 * @param outcome how it ended
 * @param output the agent's final message (the node's {@code output})
 * @param usage tokens and cost of this attempt
 * @param sessionId the agent's session, to resume on the next attempt; may be {@code null}
 * @param message why it failed, for the user; {@code null} when completed
 * @param retryAfter for {@link AgentOutcome#RATE_LIMITED}: the provider's reset hint, or {@code
 *     null}
 */
public record AgentResult(
    AgentOutcome outcome,
    String output,
    Usage usage,
    String sessionId,
    String message,
    Duration retryAfter) {
  public AgentResult {
    usage = usage == null ? Usage.ZERO : usage;
    output = output == null ? "" : output;
  }

  public static AgentResult completed(String output, Usage usage, String sessionId) {
    return new AgentResult(AgentOutcome.COMPLETED, output, usage, sessionId, null, null);
  }

  public static AgentResult failed(String message, String output, Usage usage) {
    return new AgentResult(AgentOutcome.FAILED, output, usage, null, message, null);
  }
}
