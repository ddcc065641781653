package dev.orchestra.exec;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A process group that an {@link Executor} started: the pid of its leader, which is also the group
 * id, the leader's start time, the name of the environment variable that marks every process of the
 * execution (see {@link LocalExecutor}), and the pipes its output went to. Run records keep it so
 * that a later process can find and end the group, and the processes that left it, after the one
 * that started it crashed ({@link ProcessReaper}); the start time tells the leader apart from an
 * unrelated process that got the same pid later.
 *
 * @param id the leader's pid and the group's id
 * @param started when the leader started, as {@link ProcessHandle.Info#startInstant()} reports it
 * @param tag the name of the variable ({@code ORCHESTRA_TAG_…}) that the leader and everything it
 *     started inherit, or {@code null} in records written before executions were tagged
 * @param pipes the pipes of the leader's stdout and stderr as {@code /proc} names them ({@code
 *     pipe:[INODE]}): a process that holds one open is the execution's, whatever its group and
 *     environment; empty when unknown
 */
public record ProcessGroup(long id, Instant started, String tag, List<String> pipes) {
  private static final Pattern PIPE = Pattern.compile("pipe:\\[[0-9]{1,20}]");

  public ProcessGroup {
    if (id <= 1) {
      throw new IllegalArgumentException("a process group id must be above 1, was " + id);
    }
    Objects.requireNonNull(started, "started");
    ProcessTag.requireNameOrNull(tag);
    pipes = pipes == null ? List.of() : List.copyOf(pipes);
    for (String pipe : pipes) {
      if (!PIPE.matcher(pipe).matches()) {
        throw new IllegalArgumentException("a pipe must be pipe:[INODE], was '" + pipe + "'");
      }
    }
  }

  /** A group without pipes, as records written before pipes were recorded have it. */
  public ProcessGroup(long id, Instant started, String tag) {
    this(id, started, tag, List.of());
  }

  /** A group without a tag, as records written before tags existed have it. */
  public ProcessGroup(long id, Instant started) {
    this(id, started, null, List.of());
  }

  /**
   * The group that {@code leader} leads, when the operating system reports its start time; empty
   * when it does not (then the group could never be told apart from a stranger, so it is not
   * recorded at all).
   */
  static Optional<ProcessGroup> ledBy(ProcessHandle leader, String tag, List<String> pipes) {
    return leader
        .info()
        .startInstant()
        .map(start -> new ProcessGroup(leader.pid(), start, tag, pipes));
  }
}
