package dev.orchestra.exec;

import dev.orchestra.OrchestraException.LaunchException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a program the way {@code execvp} would, to report a missing one clearly. */
final class Programs {
  /** The search path when the environment has no {@code PATH}. */
  static final String DEFAULT_PATH = "/usr/bin:/bin";

  private Programs() {}

  /** Whether {@code file} is a program {@code execvp} would run: executable, not a directory. */
  static boolean isProgram(Path file) {
    return Files.isExecutable(file) && !Files.isDirectory(file);
  }

  /**
   * Checks that {@code program} can be executed: as a path when it holds a {@code /} (relative to
   * {@code workdir}), otherwise looked up on {@code path}.
   *
   * @return the program's absolute path, as {@code execvp} would find it
   * @throws LaunchException naming the program, the directory and the remedy
   */
  static String requireExecutable(String program, String path, Path workdir) {
    if (program.contains("/")) {
      Path file = workdir.resolve(program);
      if (!Files.isRegularFile(file)) {
        throw new LaunchException(
            "program '"
                + program
                + "' not found (looked for '"
                + file
                + "', running in '"
                + workdir
                + "'); check the command's path");
      }
      if (!Files.isExecutable(file)) {
        throw new LaunchException(
            "program '"
                + file
                + "' is not executable (running in '"
                + workdir
                + "'); make it executable with chmod +x");
      }
      return file.toAbsolutePath().toString();
    }
    String searched = path == null ? DEFAULT_PATH : path;
    for (String dir : searched.split(File.pathSeparator, -1)) {
      // An empty PATH entry means the current directory, as for execvp.
      Path candidate = (dir.isEmpty() ? workdir : workdir.resolve(dir)).resolve(program);
      if (isProgram(candidate)) {
        return candidate.toAbsolutePath().toString();
      }
    }
    throw new LaunchException(
        "program '"
            + program
            + "' not found on PATH ("
            + searched
            + ") while starting it in '"
            + workdir
            + "'; install it or give its full path");
  }
}
