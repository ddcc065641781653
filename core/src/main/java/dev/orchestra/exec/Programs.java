package dev.orchestra.exec;

import dev.orchestra.OrchestraException.LaunchException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
      requireInterpreter(file);
      return file.toAbsolutePath().toString();
    }
    String searched = path == null ? DEFAULT_PATH : path;
    for (String dir : searched.split(File.pathSeparator, -1)) {
      // An empty PATH entry means the current directory, as for execvp.
      Path candidate = (dir.isEmpty() ? workdir : workdir.resolve(dir)).resolve(program);
      if (isProgram(candidate)) {
        requireInterpreter(candidate);
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

  /** How much of a script's first line is read for its {@code #!} interpreter, as Linux reads. */
  private static final int SHEBANG_BYTES = 256;

  /**
   * Checks that a script's {@code #!} interpreter exists, so that a missing one is the same launch
   * error on every spawner: {@code posix_spawn} fails on it, while {@code setsid} would only exit 1
   * with a line on stderr. Costs one read of the file's first bytes per lookup ({@link
   * ProgramCache} spares the lookup of a program found on {@code PATH} lately).
   *
   * @throws LaunchException naming the script and its interpreter
   */
  private static void requireInterpreter(Path file) {
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SHEBANG_BYTES);
    } catch (IOException e) {
      // Unreadable but executable: the exec itself reports what is wrong.
      return;
    }
    String first = new String(head, StandardCharsets.ISO_8859_1);
    if (!first.startsWith("#!")) {
      return;
    }
    int end = first.indexOf('\n');
    String line = (end < 0 ? first : first.substring(0, end)).substring(2).strip();
    String interpreter = line.split("[ \t]", 2)[0];
    if (!interpreter.startsWith("/")) {
      // A relative one is resolved against the working directory by the kernel; left to the exec.
      return;
    }
    Path path = Path.of(interpreter);
    if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
      throw new LaunchException(
          "program '"
              + file
              + "' names the interpreter '"
              + interpreter
              + "' in its #! line, which does not exist or is not executable; install it or fix"
              + " the #! line");
    }
  }
}
