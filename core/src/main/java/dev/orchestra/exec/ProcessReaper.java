package dev.orchestra.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends process groups that a crashed Orchestra process left behind (see {@link ProcessGroup}).
 *
 * <p>A group is killed only while its leader is alive and started when the record says: pids are
 * reused, and a stranger that got the leader's pid must never be killed. The comparison allows
 * {@link #START_TOLERANCE}, because the JDK derives start instants from the boot time in whole
 * seconds, which two JVMs may read one second apart after the clock was adjusted. A group whose
 * leader has already exited is left alone, since nothing then proves whose group it is.
 *
 * <p>Stateless and thread-safe. {@link #reap} blocks for up to {@link #LIMIT}.
 */
public final class ProcessReaper {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);

  /** How far a live process's start time may be from the recorded one and still be the leader. */
  static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /** How long {@link #reap} waits for a killed group to be gone. */
  public static final Duration LIMIT = Duration.ofSeconds(5);

  /** What {@link #reap} found and did. */
  public enum Reaped {
    /** No live process has the leader's pid: nothing to do. */
    NOT_RUNNING,
    /** A live process has the pid but started at another time: left alone. */
    STRANGER,
    /** The group was killed and is gone. */
    KILLED,
    /** The group was killed but some member was still alive when {@link #LIMIT} ran out. */
    SURVIVED
  }

  private ProcessReaper() {}

  /**
   * Kills {@code group} (SIGTERM, then SIGKILL to what is left) when its leader is still the
   * recorded process, and waits up to {@link #LIMIT} for every member to be gone.
   */
  public static Reaped reap(ProcessGroup group) {
    Optional<ProcessHandle> leader = ProcessHandle.of(group.id()).filter(ProcessHandle::isAlive);
    if (leader.isEmpty() || !ProcessGroups.hasLiveMembers(group.id())) {
      return Reaped.NOT_RUNNING;
    }
    Optional<Instant> started = leader.get().info().startInstant();
    if (started.isEmpty() || !sameStart(started.get(), group.started())) {
      LOG.info(
          "pid {} is alive but started at {}, not at {} as recorded: it is another process, left"
              + " alone",
          group.id(),
          started.map(Instant::toString).orElse("an unknown time"),
          group.started());
      return Reaped.STRANGER;
    }
    long deadline = System.nanoTime() + LIMIT.toNanos();
    ProcessGroups.signal(group.id(), "TERM");
    boolean gone = awaitGone(group.id(), System.nanoTime() + LocalExecution.TERM_GRACE.toNanos());
    if (!gone) {
      ProcessGroups.signal(group.id(), "KILL");
      gone = awaitGone(group.id(), deadline);
    }
    return gone ? Reaped.KILLED : Reaped.SURVIVED;
  }

  static boolean sameStart(Instant actual, Instant recorded) {
    return Duration.between(actual, recorded).abs().compareTo(START_TOLERANCE) <= 0;
  }

  private static boolean awaitGone(long pgid, long deadline) {
    try {
      return ProcessGroups.awaitNoLiveMembers(pgid, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !ProcessGroups.hasLiveMembers(pgid);
    }
  }
}
