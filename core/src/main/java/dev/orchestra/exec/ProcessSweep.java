package dev.orchestra.exec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and ends what is left of one execution: the live members of its process group, every live
 * process carrying its {@link ProcessTag}, which covers those that left the group (their own {@code
 * setsid}, a double fork), and every live process that holds its stdout or stderr pipe open, which
 * covers those that also cleared their environment ({@code setsid env -i …}). All are read from
 * {@code /proc} ({@link ProcFs}); without it only the leader, the group and the leader's current
 * descendants can be reached.
 *
 * <p><b>Cost.</b> A full scan lists {@code /proc} and reads {@code stat} and {@code environ} of
 * every process: about 1.5 ms for 80 processes on an idle machine, 2.5-5 ms for 140 on a loaded
 * one. Every process the execution started got its pid after the leader's, so while the execution
 * is young ({@link #WINDOW_LIMIT}) only pids the kernel allocated since the leader are candidates:
 * from the leader's pid up to the last pid the kernel handed out ({@link ProcFs#lastPid()}), across
 * the wrap at {@code pid_max} when it wrapped. Up to {@link #MAX_PROBED} of them are asked for one
 * by one (a few µs for each that is gone), more are picked from a listing of {@code /proc}. That
 * keeps the sweep after a trivial command at tens of µs. An older execution gets a full scan, since
 * the pid space could in principle have wrapped all the way round meanwhile.
 *
 * <p>Not thread-safe: one sweep at a time per instance ({@link LocalExecution} guarantees it).
 */
final class ProcessSweep {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessSweep.class);

  /** How long processes get after SIGTERM before they are sent SIGKILL. */
  static final Duration TERM_GRACE = Duration.ofSeconds(2);

  /**
   * How long {@link #end} keeps at it in all: the grace, then SIGKILL and re-scans until nothing is
   * left. Within {@link Execution#kill()}'s 5 seconds.
   */
  static final Duration LIMIT = Duration.ofMillis(4500);

  /**
   * Executions younger than this scan only the pids allocated since their leader. At most {@code
   * pid_max} (32,768 on many machines) pids are handed out before they wrap; allocating them all in
   * a quarter of a second would take over 130,000 forks a second.
   */
  static final Duration WINDOW_LIMIT = Duration.ofMillis(250);

  private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long NO_WINDOW = Long.MIN_VALUE;

  /** Up to this many pids allocated since the leader are asked for one by one. */
  static final int MAX_PROBED = 64;

  private final long leaderPid;
  private final long pgid;
  private final String tag;
  private final List<String> pipes;
  private final long startedNanos;
  private final Instant notBefore;

  /** What a scan found: a live process of the execution, other than its leader. */
  record Found(ProcessHandle handle, long pgrp, String command) {
    long pid() {
      return handle.pid();
    }
  }

  /** What {@link #end} did: the processes it ended (besides the leader) and any still alive. */
  record Result(List<EndedProcess> ended, List<Long> survivors) {
    Result {
      ended = List.copyOf(ended);
      survivors = List.copyOf(survivors);
    }
  }

  private ProcessSweep(
      long leaderPid,
      long pgid,
      String tag,
      List<String> pipes,
      long startedNanos,
      Instant notBefore) {
    this.leaderPid = leaderPid;
    this.pgid = pgid;
    this.tag = tag;
    this.pipes = List.copyOf(pipes);
    this.startedNanos = startedNanos;
    this.notBefore = notBefore;
  }

  /**
   * The sweep of an execution this JVM started.
   *
   * @param leader the pid of the process it started
   * @param pgid its own process group's id, or {@code -1} when it shares the JVM's group
   * @param tag the name of its tag variable
   * @param pipes its stdout and stderr pipes ({@link ProcFs#outputPipes})
   * @param startedNanos {@link System#nanoTime()} just before it was started
   */
  static ProcessSweep ofExecution(
      long leader, long pgid, String tag, List<String> pipes, long startedNanos) {
    return new ProcessSweep(leader, pgid, tag, pipes, startedNanos, null);
  }

  /**
   * The sweep of a recorded execution that another, crashed JVM started: every pid is a candidate,
   * and a tagged process must have started no earlier than {@code notBefore}.
   *
   * @param pgid the group to end, or {@code -1} when nothing proves the group is still the recorded
   *     one (its leader is gone or is a stranger)
   * @param tag the recorded tag, or {@code null}
   * @param pipes the recorded output pipes, possibly none
   */
  static ProcessSweep ofRecord(
      long leader, long pgid, String tag, List<String> pipes, Instant notBefore) {
    return new ProcessSweep(leader, pgid, tag, pipes, NO_WINDOW, notBefore);
  }

  /** The live processes of the execution other than its leader, as {@code /proc} shows them now. */
  List<Found> scan() {
    if (!ProcFs.AVAILABLE) {
      return List.of();
    }
    boolean young =
        startedNanos != NO_WINDOW && System.nanoTime() - startedNanos < WINDOW_LIMIT.toNanos();
    long last = young ? ProcFs.lastPid() : -1;
    if (last >= leaderPid && last - leaderPid <= MAX_PROBED) {
      // Few pids were handed out since the leader's: asking for each is cheaper than a listing.
      return scan(LongStream.rangeClosed(leaderPid + 1, last).toArray(), true);
    }
    long[] pids = ProcFs.pids();
    if (last <= 0) {
      return scan(pids, false);
    }
    // Read again after the listing, so that every listed pid was allocated by then.
    long lastListed = ProcFs.lastPid();
    boolean wrapped = lastListed < leaderPid;
    return scan(
        Arrays.stream(pids)
            .filter(
                pid ->
                    wrapped
                        ? pid > leaderPid || pid <= lastListed
                        : pid > leaderPid && pid <= lastListed)
            .toArray(),
        false);
  }

  /**
   * The live processes of the execution among {@code pids}.
   *
   * @param probed whether the pids were counted out rather than listed, so that some may be threads
   */
  private List<Found> scan(long[] pids, boolean probed) {
    long self = ProcessHandle.current().pid();
    List<Found> found = new ArrayList<>();
    for (long pid : pids) {
      if (pid == leaderPid || pid == self) {
        continue;
      }
      if (probed && ProcFs.isOwnThread(pid)) {
        // Counted out, most pids since the leader's are threads this JVM started meanwhile (each
        // run's delivery thread, the streams' and the pools' threads): none is the execution's,
        // and telling that from their files below costs the reads of three of them.
        continue;
      }
      ProcFs.Stat stat = ProcFs.stat(pid);
      if (stat == null || !stat.live()) {
        continue;
      }
      boolean member = pgid > 0 && stat.pgrp() == pgid;
      boolean tagged = !member && tag != null && ProcFs.hasVariable(pid, tag);
      if (!member && !tagged && (pipes.isEmpty() || stat.ppid() == self)) {
        // A child of this JVM can be the execution's only by its group or its tag: found by the
        // pipes alone, it is another launch between its fork and its exec, holding a copy of
        // every descriptor of the JVM, these pipes' read ends too: not a holder to end (a signal
        // there would reach the JVM's own handlers, vfork sharing its memory). What an execution
        // starts is never the JVM's child. The common case after a trivial command (the other
        // nodes' processes), answered before the costlier reads below.
        continue;
      }
      if (probed && !ProcFs.isProcess(pid)) {
        // A thread of a process that is found by its own pid. Asked before the descriptors: the
        // threads this JVM starts are among the pids counted out, and each would otherwise have
        // the JVM's whole descriptor table read below (hundreds of links with a busy server).
        continue;
      }
      // A process that cleared its environment is still the execution's if it writes to its
      // output.
      if (!member && !tagged && !ProcFs.writesToAny(pid, pipes)) {
        continue;
      }
      // The handle remembers the start time: a later signal never reaches a process that got
      // the pid after this one exited.
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || (!member && !startedInTime(handle.get()))) {
        continue;
      }
      found.add(new Found(handle.get(), stat.pgrp(), ProcFs.commandLine(pid, stat.comm())));
    }
    return found;
  }

  private boolean startedInTime(ProcessHandle handle) {
    if (notBefore == null) {
      return true;
    }
    return handle.info().startInstant().map(start -> !start.isBefore(notBefore)).orElse(false);
  }

  /**
   * Ends the leader (when given and alive) and everything {@link #scan} finds: SIGTERM to the group
   * and to each process, up to {@link #TERM_GRACE} for them to go while re-scanning for processes
   * started meanwhile, then SIGKILL to whatever is left, re-scanning until nothing is left or
   * {@link #LIMIT} has passed. When nothing is found and the leader has exited, this is one scan
   * and nothing else.
   *
   * <p>An interrupt cuts the grace short (SIGKILL at once) but not the sweep: leaving processes
   * behind is worse; the interrupt flag is restored before returning.
   *
   * @param leader the execution's process, or {@code null} when it is not to be ended here
   */
  Result end(ProcessHandle leader) {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    if (!ProcFs.AVAILABLE) {
      return endWithoutProc(leader, deadline);
    }
    List<Found> live = scan();
    boolean leaderAlive = live(leader);
    if (live.isEmpty() && !leaderAlive) {
      return new Result(List.of(), List.of());
    }
    Map<Long, EndedProcess> ended = new LinkedHashMap<>();
    Signals signals = new Signals();
    signals.send(leader, leaderAlive, live, false, ended);
    long graceEnd = Math.min(deadline, System.nanoTime() + TERM_GRACE.toNanos());
    long pause = FIRST_PAUSE_NANOS;
    boolean force = false;
    boolean interrupted = false;
    while (true) {
      long wait = Math.min(pause, Math.max(0, (force ? deadline : graceEnd) - System.nanoTime()));
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        interrupted = true;
        force = true;
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
      live = scan();
      leaderAlive = live(leader);
      if (live.isEmpty() && !leaderAlive) {
        break;
      }
      if (System.nanoTime() >= deadline) {
        LOG.warn(
            "processes {} are still alive {} after SIGKILL was sent to them; end them with `kill"
                + " -KILL PID`",
            live.stream().map(Found::pid).toList(),
            LIMIT);
        break;
      }
      force |= System.nanoTime() >= graceEnd;
      signals.send(leader, leaderAlive, live, force, ended);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    List<Long> survivors = new ArrayList<>(live.stream().map(Found::pid).toList());
    if (leaderAlive) {
      survivors.add(0, leader.pid());
    }
    return new Result(List.copyOf(ended.values()), survivors);
  }

  /**
   * Whether {@code process} is the process it was and has not exited. {@link
   * ProcessHandle#isAlive()} alone counts a zombie as alive, and a process that is not this JVM's
   * child stays one until init reaps it.
   */
  static boolean live(ProcessHandle process) {
    if (process == null || !process.isAlive()) {
      return false;
    }
    if (!ProcFs.AVAILABLE) {
      return true;
    }
    ProcFs.Stat stat = ProcFs.stat(process.pid());
    return stat != null && stat.live();
  }

  /**
   * Without {@code /proc} nothing can be found that left the tree: SIGTERM to the group, the leader
   * and its descendants as they are now, up to the grace for the leader to go, then SIGKILL to all
   * of them. Reports nothing ended, since nothing was found.
   */
  private Result endWithoutProc(ProcessHandle leader, long deadline) {
    if (leader == null || !leader.isAlive()) {
      return new Result(List.of(), List.of());
    }
    List<ProcessHandle> tree = leader.descendants().toList();
    if (pgid > 0) {
      ProcessGroups.signal(pgid, "TERM");
    }
    leader.destroy();
    tree.forEach(ProcessHandle::destroy);
    boolean interrupted = false;
    try {
      leader
          .onExit()
          .get(Math.min(TERM_GRACE.toNanos(), deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // Still alive after the grace: forced below.
    }
    if (pgid > 0) {
      ProcessGroups.signal(pgid, "KILL");
    }
    leader.destroyForcibly();
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new Result(List.of(), leader.isAlive() ? List.of(leader.pid()) : List.of());
  }

  /** The signals one {@link #end} sent, so that each process gets each signal once. */
  private final class Signals {
    private final Set<Long> termed = new HashSet<>();
    private final Set<Long> killed = new HashSet<>();
    private boolean leaderTermed;
    private boolean leaderKilled;

    void send(
        ProcessHandle leader,
        boolean leaderAlive,
        List<Found> live,
        boolean force,
        Map<Long, EndedProcess> ended) {
      Set<Long> sent = force ? killed : termed;
      // The kernel signals a whole group at once, also children forked while it is delivered;
      // sent again only when a member that has not had this signal turns up.
      boolean newMember =
          live.stream().anyMatch(f -> f.pgrp() == pgid && !sent.contains(f.pid()))
              || (leaderAlive && !(force ? leaderKilled : leaderTermed));
      if (pgid > 0 && newMember) {
        ProcessGroups.signal(pgid, force ? "KILL" : "TERM");
      }
      if (leaderAlive) {
        if (force && !leaderKilled) {
          leader.destroyForcibly();
          leaderKilled = true;
        } else if (!force && !leaderTermed) {
          leader.destroy();
          leaderTermed = true;
        }
      }
      for (Found f : live) {
        ended.putIfAbsent(f.pid(), new EndedProcess(f.pid(), f.command()));
        if (sent.add(f.pid())) {
          if (force) {
            f.handle().destroyForcibly();
          } else {
            f.handle().destroy();
          }
        }
      }
    }
  }
}
