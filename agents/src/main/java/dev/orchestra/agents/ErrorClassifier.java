package dev.orchestra.agents;

import dev.orchestra.agent.AgentOutcome;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import java.time.Clock;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an agent CLI's attempt ended when it did not complete its turn, from the CLI's error text:
 * the provider refused the credentials ({@link AgentOutcome#AUTH_FAILED}, not retried), refused for
 * a rate limit or overload ({@link AgentOutcome#RATE_LIMITED}, retried after the provider's reset
 * hint without using up an attempt), or anything else ({@link AgentOutcome#FAILED}, which uses up
 * an attempt). Each CLI states its provider's words for the first two as patterns, matched against
 * the lower-cased text. Immutable and thread-safe.
 */
public final class ErrorClassifier {
  private final String program;
  private final Pattern auth;
  private final Pattern rateLimit;
  private final Clock clock;

  /**
   * @param program the CLI's name, as messages show it ({@code codex})
   * @param auth what a refused key looks like, in lower case
   * @param rateLimit what a rate limit or overload looks like, in lower case
   * @param clock for reset times in rate-limit messages
   */
  public ErrorClassifier(String program, Pattern auth, Pattern rateLimit, Clock clock) {
    this.program = program;
    this.auth = auth;
    this.rateLimit = rateLimit;
    this.clock = clock;
  }

  /** Whether {@code why} says that the provider refused the credentials. */
  public boolean refusedCredentials(String why) {
    return auth.matcher(why.toLowerCase(Locale.ROOT)).find();
  }

  /** Whether {@code why} says that the provider refused for a rate limit or an overload. */
  public boolean rateLimited(String why) {
    return rateLimit.matcher(why.toLowerCase(Locale.ROOT)).find();
  }

  /**
   * Refused credentials. No session is kept: the attempt is not retried.
   *
   * @param message for the user: which variable and credential to set
   */
  public AgentResult authFailed(String output, Usage usage, String message) {
    return new AgentResult(AgentOutcome.AUTH_FAILED, output, usage, null, message, null);
  }

  /**
   * A rate limit. No session is kept: it holds only the refused turn, so the retry goes on from the
   * previous one.
   *
   * @param hint the provider's text that may name a reset time ({@link RateLimitHint})
   */
  public AgentResult rateLimited(String output, Usage usage, String message, String hint) {
    return new AgentResult(
        AgentOutcome.RATE_LIMITED,
        output,
        usage,
        null,
        message,
        RateLimitHint.parse(hint, clock).orElse(null));
  }

  /**
   * A failure: {@code PROGRAM exited with code N: WHY}, or {@code PROGRAM was killed (exit code N):
   * WHY}. The session is kept, so that the next attempt resumes it with the failure as feedback: it
   * may hold useful work.
   *
   * @param why the CLI's error text; may be empty
   */
  public AgentResult failed(
      ExitStatus exit, String why, String output, Usage usage, String session) {
    String message =
        exit.killed()
            ? program + " was killed (exit code " + exit.code() + ")"
            : program + " exited with code " + exit.code();
    if (!why.isEmpty()) {
      message += ": " + why;
    }
    return new AgentResult(AgentOutcome.FAILED, output, usage, session, message, null);
  }
}
