package dev.orchestra.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --run RUN --node ID [--runs-dir DIR]}: the node of a planned run a {@code node} command
 * acts on.
 */
final class PlannedNodeOptions {
  @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--node", required = true, paramLabel = "ID", description = "The node's id.")
  String node;

  @Mixin RunsDirOption runs;
}
