package dev.orchestra.engine;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.secret.SecretMasker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a node's attempts ended, as its runner reports it to the coordinator: either {@link
 * Succeeded}, with named outputs, or {@link Unsuccessful}, with a status and a reason. Made by the
 * named factories, so that a success with a reason or a failure with outputs cannot be written.
 */
sealed interface NodeOutcome {

  /** The final status. */
  NodeStatus status();

  /** Why the node did not succeed; {@code null} when it did. */
  String reason();

  /** The final output (the last attempt's), or {@code null}. */
  String output();

  /** The named outputs; empty unless the node succeeded. */
  Map<String, String> outputs();

  /** The number of the last attempt started (0 when none started). */
  int attempt();

  /** This outcome with every text masked: outputs flow downstream and into the result masked. */
  NodeOutcome masked(SecretMasker masker);

  static NodeOutcome succeeded(String output, Map<String, String> outputs, int attempt) {
    return new Succeeded(output, outputs, attempt);
  }

  /** The agent's work was not accepted (a check failed on the last attempt, an output is bad). */
  static NodeOutcome failed(String reason, String output, int attempt) {
    return new Unsuccessful(NodeStatus.FAILED, reason, output, attempt);
  }

  /** The node could not do its work (no such agent, the agent failed, a workspace error). */
  static NodeOutcome error(String reason, int attempt) {
    return error(reason, null, attempt);
  }

  static NodeOutcome error(String reason, String output, int attempt) {
    return new Unsuccessful(NodeStatus.ERROR, reason, output, attempt);
  }

  /** A limit of the node ({@code timeout}, {@code idle_timeout}) killed its agent. */
  static NodeOutcome timedOut(String reason, String output, int attempt) {
    return new Unsuccessful(NodeStatus.TIMED_OUT, reason, output, attempt);
  }

  /**
   * The node was stopped while it ran (cancel, the run's timeout, a budget): the status and reason
   * its control was stopped with.
   *
   * @throws IllegalStateException when the control was not stopped
   */
  static NodeOutcome stopped(NodeControl control, String output, int attempt) {
    if (!control.isStopped()) {
      throw new IllegalStateException("the node was not stopped");
    }
    return new Unsuccessful(control.status(), control.reason(), output, attempt);
  }

  /**
   * A node that succeeded.
   *
   * @param output its final output, or {@code null}
   * @param outputs its named outputs
   * @param attempt the attempt that succeeded
   */
  record Succeeded(String output, Map<String, String> outputs, int attempt) implements NodeOutcome {
    public Succeeded {
      outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    @Override
    public NodeStatus status() {
      return NodeStatus.SUCCEEDED;
    }

    @Override
    public String reason() {
      return null;
    }

    @Override
    public NodeOutcome masked(SecretMasker masker) {
      return new Succeeded(masker.mask(output), masker.mask(outputs), attempt);
    }
  }

  /**
   * A node that ended without succeeding.
   *
   * @param status a final status other than {@code succeeded}
   * @param reason why, for the user ({@code null} becomes the status' name)
   * @param output the last attempt's output, or {@code null}
   * @param attempt the last attempt started (0 when none started)
   */
  record Unsuccessful(NodeStatus status, String reason, String output, int attempt)
      implements NodeOutcome {
    public Unsuccessful {
      if (status == NodeStatus.SUCCEEDED || !status.isTerminal()) {
        throw new IllegalArgumentException(
            "an unsuccessful node ends failed, error, timed_out, budget_exceeded, cancelled or"
                + " skipped, was "
                + status.wireName());
      }
      // A missing message must not lose the node: the coordinator waits for every outcome.
      reason = Objects.requireNonNullElse(reason, status.wireName());
    }

    @Override
    public Map<String, String> outputs() {
      return Map.of();
    }

    @Override
    public NodeOutcome masked(SecretMasker masker) {
      return new Unsuccessful(status, masker.mask(reason), masker.mask(output), attempt);
    }
  }
}
