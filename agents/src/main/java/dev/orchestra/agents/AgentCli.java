package dev.orchestra.agents;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the program of an agent CLI ({@code claude}, {@code codex}, {@code gemini}): the variable
 * {@code ORCHESTRA_<PROGRAM>_BIN} when set, else the first executable of that name on {@code PATH}.
 * Stateless and thread-safe.
 */
public final class AgentCli {

  private static final Pattern PATH_SEPARATOR = Pattern.compile(Pattern.quote(File.pathSeparator));

  private AgentCli() {}

  /**
   * The program to run for {@code request}: the bare name when the node runs with {@code executor:
   * docker} (the CLI is in the image, not on this machine), else {@link #locate}.
   *
   * @param env this process's environment (normally {@link System#getenv()})
   */
  public static Path forRequest(
      AgentRequest request, String program, String npmPackage, Map<String, String> env) {
    if (request.node().executorOrDefault() == ExecutorKind.DOCKER) {
      return Path.of(program);
    }
    return locate(program, npmPackage, env);
  }

  /**
   * Why {@code program} cannot run {@code node} here: the message of {@link #locate} when it is not
   * found; empty when it is, or when the node runs in a container (its image brings the CLI).
   */
  public static Optional<String> unavailable(
      NodeSpec node, String program, String npmPackage, Map<String, String> env) {
    if (node.executorOrDefault() == ExecutorKind.DOCKER) {
      return Optional.empty();
    }
    try {
      locate(program, npmPackage, env);
      return Optional.empty();
    } catch (LaunchException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The executable of {@code program}.
   *
   * @param program the command name, e.g. {@code claude}
   * @param npmPackage the npm package that installs it, for the error message
   * @param env the environment to read {@code ORCHESTRA_<PROGRAM>_BIN} and {@code PATH} from
   * @throws LaunchException when it cannot be found, naming the package and how to install it
   */
  public static Path locate(String program, String npmPackage, Map<String, String> env) {
    String variable = variable(program);
    String override = env.get(variable);
    if (override != null && !override.isBlank()) {
      Path path = path(override);
      if (path != null && Files.isExecutable(path)) {
        return path;
      }
      throw new LaunchException(
          variable
              + " is set to '"
              + override
              + "', which is not an executable file; point it at the "
              + program
              + " program or unset it to use "
              + program
              + " from PATH");
    }
    String pathVar = env.get("PATH");
    if (pathVar != null) {
      for (String dir : PATH_SEPARATOR.split(pathVar, -1)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path dirPath = path(dir);
        if (dirPath == null) {
          continue;
        }
        Path candidate = dirPath.resolve(program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new LaunchException(
        "the "
            + program
            + " CLI (npm package "
            + npmPackage
            + ") is not installed: run `npm install -g "
            + npmPackage
            + "` or set "
            + variable);
  }

  /** {@code ORCHESTRA_<PROGRAM>_BIN}. */
  public static String variable(String program) {
    return "ORCHESTRA_" + program.toUpperCase(Locale.ROOT).replace('-', '_') + "_BIN";
  }

  private static Path path(String s) {
    try {
      return Path.of(s);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
