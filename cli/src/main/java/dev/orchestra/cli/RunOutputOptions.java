package dev.orchestra.cli;

import dev.orchestra.cli.run.DecisionHint;
import dev.orchestra.cli.run.NodeLayout;
import dev.orchestra.cli.run.RunView;
import dev.orchestra.cli.run.RunViews;
import dev.orchestra.cli.run.Terminal;
import dev.orchestra.workflow.Workflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code run} and {@code resume} share: parallelism, output mode, records, trust. */
final class RunOutputOptions {
  @Option(
      names = "--concurrency",
      paramLabel = "N",
      description = "Nodes running at once (overrides limits.concurrency).")
  Integer concurrency;

  @Option(names = "--json", description = "Print every event as a JSON line, nothing else.")
  boolean json;

  @Option(names = "--no-live", description = "Print one line per event even on a terminal.")
  boolean noLive;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description =
          "Where run records are kept (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  @Mixin TrustOption trust;

  /** The view these options ask for: JSON lines, the live view on a terminal, or plain lines. */
  RunView view(Workflow workflow, PrintWriter out, PrintWriter err) {
    return RunViews.choose(
        json,
        !noLive,
        json ? Terminal.none() : Terminal.detect(System.getenv()),
        NodeLayout.of(workflow),
        out,
        err,
        DecisionHint.of(runsDirShown()));
  }

  /**
   * The runs directory a command in another terminal must name to find this run: {@code --runs-dir}
   * or {@code ORCHESTRA_RUNS} (which that terminal may not have), else none (the default place).
   */
  private Path runsDirShown() {
    if (runsDir != null) {
      return runsDir;
    }
    String env = System.getenv(RunsLocation.ENV);
    return env == null || env.isBlank() ? null : Path.of(env);
  }
}
