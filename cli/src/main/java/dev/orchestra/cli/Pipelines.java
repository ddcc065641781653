package dev.orchestra.cli;

import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.file.FileRunStore;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What the pipeline commands ({@code plan}, {@code node}, {@code runs finish}) share. */
final class Pipelines {
  private Pipelines() {}

  /**
   * The engine over {@code store}, relative paths starting at the current directory; with {@code
   * nodeProcess}, as {@code node exec} needs it: credentials from {@code ORCHESTRA_CREDENTIAL_*}
   * before a credential store.
   */
  static OrchestraRuntime runtime(FileRunStore store, boolean nodeProcess) {
    OrchestraRuntime.Builder b = OrchestraRuntime.builder().store(store).baseDirectory(Path.of(""));
    if (nodeProcess) {
      b.environmentCredentialsFirst();
    }
    return b.build();
  }

  /**
   * The runs directory as a plan names it: relative to the working directory when it lies inside it
   * (so that every workspace of the pipeline finds it the same way), else absolute.
   */
  static String shown(Path runsDir) {
    Path cwd = Path.of("").toAbsolutePath().normalize();
    Path dir = runsDir.toAbsolutePath().normalize();
    return dir.startsWith(cwd) && !dir.equals(cwd)
        ? cwd.relativize(dir).toString().replace(java.io.File.separatorChar, '/')
        : dir.toString();
  }

  /** Prints {@code orchestra: error: MESSAGE} and answers the usage exit code, 2. */
  static int refuse(PrintWriter err, String message) {
    err.println("orchestra: error: " + message);
    err.flush();
    return ExitCode.INVALID;
  }
}
