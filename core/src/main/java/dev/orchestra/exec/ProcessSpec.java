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
 * @param tag the name of the variable ({@code ORCHESTRA_TAG_…}) that is to mark the process and
 *     everything it starts (see {@link LocalExecutor}), chosen before the start so that it can be
 *     recorded first ({@link #tagged()}); {@code null} to let the executor choose one
 */
public record ProcessSpec(
    List<String> argv,
    Path workdir,
    Map<String, String> env,
    Path stdin,
    Map<String, String> labels,
    String tag) {
  public ProcessSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ProcessTag.requireNameOrNull(tag);
  }

  /** A spec whose executor chooses the tag. */
  public ProcessSpec(
      List<String> argv,
      Path workdir,
      Map<String, String> env,
      Path stdin,
      Map<String, String> labels) {
    this(argv, workdir, env, stdin, labels, null);
  }

  /** This spec with a tag: its own, or a new one when it has none. */
  public ProcessSpec tagged() {
    return tag != null
        ? this
        : new ProcessSpec(argv, workdir, env, stdin, labels, ProcessTag.newName());
  }
}
