package dev.orchestra.agent;

import dev.orchestra.event.Usage;

/** Where an {@link AgentOutputReader} reports what it sees while the agent runs. Thread-safe. */
public interface AgentSink {

  /**
   * Live output for the user ({@code node_output}): {@code stdout}, {@code stderr} or {@code text}.
   */
  void output(String stream, String text);

  /**
   * The usage of this attempt so far. The engine compares it with the budgets and kills the agent
   * when one is exceeded.
   */
  void usage(Usage soFar);
}
