package dev.orchestra.exec;

import java.util.Map;

/**
 * The {@link ProcessSpec#labels()} Orchestra gives the processes it starts: which run, node and
 * attempt (or check) a process belongs to. Executors may attach them; the Docker executor sets them
 * as container labels and reads them back to find the containers a crashed Orchestra left behind,
 * so the names are part of what users see ({@code docker ps --filter label=orchestra.run}).
 * Stateless.
 */
public final class ProcessLabels {
  /** The run's id. Every container Orchestra starts carries it. */
  public static final String RUN = "orchestra.run";

  /** The node's id. */
  public static final String NODE = "orchestra.node";

  /** The attempt's number, from 1, for an agent's process. */
  public static final String ATTEMPT = "orchestra.attempt";

  /** The check's name, for a {@code run} check's process. */
  public static final String CHECK = "orchestra.check";

  private ProcessLabels() {}

  /** The labels of an agent's process in {@code attempt} of node {@code node}. */
  public static Map<String, String> ofAttempt(String run, String node, int attempt) {
    return Map.of(RUN, run, NODE, node, ATTEMPT, Integer.toString(attempt));
  }

  /** The labels of the process of check {@code check} of node {@code node}. */
  public static Map<String, String> ofCheck(String run, String node, String check) {
    return Map.of(RUN, run, NODE, node, CHECK, check);
  }
}
