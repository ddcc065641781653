package dev.orchestra.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what a crashed Orchestra process left running of a recorded execution (see {@link
 * ProcessGroup}): its process group, and every process carrying its tag, which covers daemons that
 * left the group (their own session, a double fork).
 *
 * <p>The group is ended only while its leader is alive and started when the record says: pids are
 * reused, and a stranger that got the leader's pid must never be killed. The comparison allows
 * {@link #START_TOLERANCE}, because the JDK derives start instants from the boot time in whole
 * seconds, which two JVMs may read one second apart after the clock was adjusted. A group whose
 * leader has already exited is not signalled as a group, since nothing then proves whose group it
 * is. A tagged process is ended whatever its group, when it started no earlier than the recorded
 * leader (less the tolerance): its tag, 64 random bits inherited from the leader, proves it is the
 * execution's.
 *
 * <p>Stateless and thread-safe. {@link #reap} blocks for up to {@link #LIMIT}.
 */
public final class ProcessReaper {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);

  /** How far a live process's start time may be from the recorded one and still be the leader. */
  static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  /** How long {@link #reap} waits for what it killed to be gone. */
  public static final Duration LIMIT = Duration.ofSeconds(5);

  /** What {@link #reap} found and did. */
  public enum Reaped {
    /** Nothing of the execution is alive: nothing to do. */
    NOT_RUNNING,
    /** A live process has the leader's pid but started at another time, and nothing is tagged. */
    STRANGER,
    /** What was alive of the execution was killed and is gone. */
    KILLED,
    /** Something was killed but some process was still alive when {@link #LIMIT} ran out. */
    SURVIVED
  }

  private ProcessReaper() {}

  /**
   * Kills what is alive of the recorded execution (SIGTERM, then SIGKILL to what is left) and waits
   * up to {@link #LIMIT} for it to be gone.
   */
  public static Reaped reap(ProcessGroup group) {
    return reapAll(group).outcome();
  }

  /**
   * What {@link #reap} did, with the processes it ended besides the leader.
   *
   * @param outcome what was found and done
   * @param ended the processes ended other than the leader
   */
  public record Reaping(Reaped outcome, List<EndedProcess> ended) {
    public Reaping {
      ended = List.copyOf(ended);
    }
  }

  /** {@link #reap}, also naming the processes it ended. */
  public static Reaping reapAll(ProcessGroup group) {
    Optional<ProcessHandle> leader = ProcessHandle.of(group.id()).filter(ProcessSweep::live);
    Optional<Instant> started = leader.flatMap(h -> h.info().startInstant());
    boolean ours = started.isPresent() && sameStart(started.get(), group.started());
    if (leader.isPresent() && !ours) {
      LOG.info(
          "pid {} is alive but started at {}, not at {} as recorded: it is another process, left"
              + " alone",
          group.id(),
          started.map(Instant::toString).orElse("an unknown time"),
          group.started());
    }
    ProcessSweep sweep =
        ProcessSweep.ofRecord(
            group.id(),
            ours ? group.id() : -1,
            group.tag(),
            group.pipes(),
            group.started().minus(START_TOLERANCE));
    if (!ours && ((group.tag() == null && group.pipes().isEmpty()) || sweep.scan().isEmpty())) {
      return new Reaping(leader.isPresent() ? Reaped.STRANGER : Reaped.NOT_RUNNING, List.of());
    }
    ProcessSweep.Result result = sweep.end(ours ? leader.get() : null);
    if (!ours && result.ended().isEmpty()) {
      return new Reaping(leader.isPresent() ? Reaped.STRANGER : Reaped.NOT_RUNNING, List.of());
    }
    return new Reaping(
        result.survivors().isEmpty() ? Reaped.KILLED : Reaped.SURVIVED, result.ended());
  }

  static boolean sameStart(Instant actual, Instant recorded) {
    return Duration.between(actual, recorded).abs().compareTo(START_TOLERANCE) <= 0;
  }
}
