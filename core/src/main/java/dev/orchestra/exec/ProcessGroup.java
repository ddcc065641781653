package dev.orchestra.exec;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process group that an {@link Executor} started: the pid of its leader, which is also the group
 * id, and the leader's start time. Run records keep it so that a later process can find and end the
 * group after the one that started it crashed ({@link ProcessReaper}); the start time tells the
 * leader apart from an unrelated process that got the same pid later.
 *
 * @param id the leader's pid and the group's id
 * @param started when the leader started, as {@link ProcessHandle.Info#startInstant()} reports it
 */
public record ProcessGroup(long id, Instant started) {
  public ProcessGroup {
    if (id <= 1) {
      throw new IllegalArgumentException("a process group id must be above 1, was " + id);
    }
    Objects.requireNonNull(started, "started");
  }

  /**
   * The group that {@code leader} leads, when the operating system reports its start time; empty
   * when it does not (then the group could never be told apart from a stranger, so it is not
   * recorded at all).
   */
  static Optional<ProcessGroup> ledBy(ProcessHandle leader) {
    return leader.info().startInstant().map(start -> new ProcessGroup(leader.pid(), start));
  }
}
