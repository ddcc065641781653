package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.workflow.NodeSpec;
import java.time.Duration;
import java.util.Random;

/**
 * A node's attempts until one ends it: each rejected attempt is followed by another, with feedback,
 * after the node's {@code backoff} with jitter, until {@code attempts} run out; a rate-limited one
 * waits for the provider's reset hint (or the backoff) and starts again without counting, at most
 * {@link #MAX_RATE_LIMIT_WAITS} times in a row. The agent's session carries over. Waits end early
 * when the node is stopped. Runs on the node's thread.
 */
final class AttemptLoop {
  /** Consecutive rate-limit waits of one node before it ends in error. */
  static final int MAX_RATE_LIMIT_WAITS = 10;

  private final NodeSupervisor supervisor;
  private final RunContext run;
  private final PreparedNode node;
  private final AttemptStep step;
  private int attempt;

  /**
   * @param attempt the number of the node's last attempt so far (0, or more on a resume)
   */
  AttemptLoop(NodeSupervisor supervisor, PreparedNode node, int attempt) {
    this.supervisor = supervisor;
    this.run = supervisor.run();
    this.node = node;
    this.step = new AttemptStep(supervisor, node);
    this.attempt = attempt;
  }

  /** The number of the last attempt started. */
  int attempt() {
    return attempt;
  }

  NodeOutcome run() {
    GraphNode n = node.node();
    NodeSpec spec = n.spec;
    NodeControl control = node.control();
    int tries = 0;
    int rateLimited = 0;
    String feedback = null;
    String session = null;
    while (true) {
      if (control.isStopped()) {
        return NodeOutcome.stopped(control, null, attempt);
      }
      attempt++;
      run.emit(new Event.NodeStarted(n.id, attempt));
      // The node that waited for a rate limit goes first; the held ones follow.
      supervisor.release(n);
      AttemptResult result = step.run(attempt, feedback, session);
      long delay;
      String output;
      if (result instanceof AttemptResult.Done done) {
        return done.outcome();
      } else if (result instanceof AttemptResult.RateLimited limited) {
        rateLimited++;
        output = limited.agent().output();
        if (rateLimited > MAX_RATE_LIMIT_WAITS) {
          return NodeOutcome.error(
              "still rate limited after "
                  + MAX_RATE_LIMIT_WAITS
                  + " waits ("
                  + limited.reason()
                  + "); try again later or lower limits.agents for '"
                  + n.agent()
                  + "'",
              output,
              attempt);
        }
        Duration retryAfter = limited.agent().retryAfter();
        delay =
            retryAfter != null
                ? retryAfter.toMillis()
                : jitter(spec.backoffOrDefault().before(rateLimited + 1));
        // While this node waits for the provider's reset, other nodes of its agent would only hit
        // the same limit: the supervisor holds them back until this node has started again (or
        // ended: the supervisor then drops the hold). The hold comes before the event, so that no
        // node of the agent starts between what the event says and what the run does.
        supervisor.holdBack(n, delay);
        run.emit(new Event.NodeRateLimited(n.id, attempt + 1, delay, limited.reason()));
        session = sessionAfter(session, limited.agent().sessionId());
      } else if (result instanceof AttemptResult.Rejected rejected) {
        rateLimited = 0;
        tries++;
        if (tries >= spec.attemptsOrDefault()) {
          return rejected.ifLast();
        }
        feedback = rejected.feedback();
        output = rejected.agent().output();
        delay = jitter(spec.backoffOrDefault().before(tries + 1));
        run.emit(new Event.NodeRetrying(n.id, attempt + 1, delay, rejected.reason()));
        session = sessionAfter(session, rejected.agent().sessionId());
      } else {
        throw new IllegalStateException("an attempt cannot end as " + result);
      }
      if (!control.await(delay)) {
        return NodeOutcome.stopped(control, output, attempt);
      }
    }
  }

  private static String sessionAfter(String session, String next) {
    return next != null ? next : session;
  }

  /** Equal jitter: half the backoff, plus a random part of the other half. */
  private long jitter(Duration backoff) {
    long ms = backoff.toMillis();
    if (ms <= 0) {
      return 0;
    }
    Random random = run.services().random();
    return ms / 2 + (long) (random.nextDouble() * (ms - ms / 2));
  }
}
