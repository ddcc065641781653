package dev.orchestra.cli;

import dev.orchestra.store.file.FileRunStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the run commands keep run records: {@code --runs-dir DIR}, else the environment variable
 * {@code ORCHESTRA_RUNS}, else {@code .orchestra/runs} under the current directory.
 */
final class RunsLocation {
  /** The environment variable naming the runs directory. */
  static final String ENV = "ORCHESTRA_RUNS";

  private RunsLocation() {}

  /** The store for {@code option} (may be {@code null}) and this process's environment. */
  static FileRunStore store(Path option) {
    return store(option, System.getenv());
  }

  static FileRunStore store(Path option, Map<String, String> env) {
    if (option != null) {
      return FileRunStore.at(option);
    }
    String dir = env.get(ENV);
    if (dir != null && !dir.isBlank()) {
      return FileRunStore.at(Path.of(dir));
    }
    return FileRunStore.under(Path.of(""));
  }
}
