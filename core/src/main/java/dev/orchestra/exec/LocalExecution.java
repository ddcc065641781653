package dev.orchestra.exec;

import dev.orchestra.OrchestraException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by {@link LocalExecutor}. Owns the process and, when it has one, its process
 * group. Thread-safe.
 */
final class LocalExecution implements Execution {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecution.class);

  /** How long {@link #kill()} waits after SIGTERM before it sends SIGKILL. */
  static final Duration TERM_GRACE = Duration.ofSeconds(2);

  /**
   * How long output may stay open after the process exited: longer means a background process it
   * started still holds the pipe, which is then killed so that {@link #await()} cannot hang.
   */
  static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  private final Process process;
  private final long pgid;
  private final String program;
  private final CountDownLatch drained = new CountDownLatch(2);
  private final Object killLock = new Object();
  private final AtomicBoolean leftoversKilled = new AtomicBoolean();
  private volatile CompletableFuture<Void> leftoversGone = CompletableFuture.completedFuture(null);
  private volatile boolean killed;
  private volatile String detail;
  private boolean killDone; // guarded by killLock

  /**
   * @param pgid the process's own group id, or {@code -1} when it shares the JVM's group
   */
  LocalExecution(Process process, long pgid, String program) {
    this.process = process;
    this.pgid = pgid;
    this.program = program;
  }

  @Override
  public Optional<ProcessGroup> processGroup() {
    return pgid > 0 ? ProcessGroup.ledBy(process.toHandle()) : Optional.empty();
  }

  long pid() {
    return process.pid();
  }

  /** Called by each of the two output readers when its stream has ended. */
  void streamDrained() {
    drained.countDown();
  }

  @Override
  public ExitStatus await() throws InterruptedException {
    process.waitFor();
    awaitDrained(Long.MAX_VALUE);
    return status();
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    return awaitDrained(deadline);
  }

  private boolean awaitDrained(long deadline) throws InterruptedException {
    long grace = Math.min(DRAIN_GRACE.toNanos(), remaining(deadline));
    if (drained.await(grace, TimeUnit.NANOSECONDS)) {
      return true;
    }
    if (remaining(deadline) <= 0) {
      return false;
    }
    // The process has ended, but something it started still holds stdout or stderr open.
    LOG.debug(
        "{} (pid {}) exited but its output is still open: killing what is left",
        program,
        process.pid());
    if (leftoversKilled.compareAndSet(false, true)) {
      detail = "killed background processes that kept the output open after the process exited";
      // On the shared pool, so that await(timeout) keeps its limit while the kill takes seconds.
      leftoversGone = CompletableFuture.runAsync(this::terminate, ExecThreads.IO);
    }
    // The pipe closes while the leftovers are still exiting: wait for the kill to finish, so that
    // nothing the process started is alive once await returns.
    return drained.await(remaining(deadline), TimeUnit.NANOSECONDS) && awaitLeftoversGone(deadline);
  }

  private boolean awaitLeftoversGone(long deadline) throws InterruptedException {
    try {
      leftoversGone.get(remaining(deadline), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new OrchestraException("could not kill what " + program + " left running", e);
    }
  }

  private static long remaining(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
  }

  private ExitStatus status() {
    return new ExitStatus(process.exitValue(), killed, detail);
  }

  @Override
  public void kill() {
    synchronized (killLock) {
      if (killDone) {
        return;
      }
      killed = process.isAlive();
      terminate();
      killDone = true;
    }
  }

  /**
   * SIGTERM to the group (or the tree), up to {@link #TERM_GRACE} for it to go, then SIGKILL to
   * whatever is left. Descendants that left the group (their own {@code setsid}) are caught by the
   * snapshot of the tree taken first. Returns within about 3 seconds.
   */
  private void terminate() {
    List<ProcessHandle> tree = process.descendants().toList();
    boolean interrupted = false;
    if (pgid > 0) {
      ProcessGroups.signal(pgid, "TERM");
    } else {
      process.destroy();
      tree.forEach(ProcessHandle::destroy);
    }
    try {
      waitForGroupToEnd(System.nanoTime() + TERM_GRACE.toNanos());
    } catch (InterruptedException e) {
      interrupted = true; // still finish the kill: leaving processes behind is worse
    }
    boolean leftovers = process.isAlive() || (pgid > 0 && ProcessGroups.hasLiveMembers(pgid));
    if (leftovers && pgid > 0) {
      ProcessGroups.signal(pgid, "KILL");
    }
    process.destroyForcibly();
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      if (!process.waitFor(1, TimeUnit.SECONDS)) {
        LOG.warn("{} (pid {}) is still alive one second after SIGKILL", program, process.pid());
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitForGroupToEnd(long deadline) throws InterruptedException {
    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      return;
    }
    if (pgid > 0) {
      // Polls /proc briefly, and only on this kill path.
      ProcessGroups.awaitNoLiveMembers(pgid, deadline);
    }
  }
}
