package dev.orchestra.cli;

import dev.orchestra.store.file.FileRunStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --runs-dir DIR}, for the commands of a pipeline ({@code plan}, {@code node ...}). */
final class RunsDirOption {
  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description =
          "Where run records are kept (default: $ORCHESTRA_RUNS, else ./.orchestra/runs).")
  Path runsDir;

  /** The store these options name. */
  FileRunStore store() {
    return RunsLocation.store(runsDir);
  }
}
