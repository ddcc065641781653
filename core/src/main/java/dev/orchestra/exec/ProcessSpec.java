package dev.orchestra.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process to launch.
 *
 * @param argv program and arguments; never run through a shell unless argv says so
 * @param workdir the working directory (the node's workspace)
 * @param env variables added to the executor's base environment; may hold secrets, so executors
 *     pass them only through the environment, never on a command line or in a log
 * @param stdin a file to feed on standard input, or {@code null} for end-of-file at once
 * @param labels descriptive tags (run, node, attempt) an executor may attach, e.g. as container
 *     labels
 */
public record ProcessSpec(
    List<String> argv,
    Path workdir,
    Map<String, String> env,
    Path stdin,
    Map<String, String> labels) {
  public ProcessSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
