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
 * A process started by {@link LocalExecutor}. Owns the process, its process group when it has one,
 * and every process that carries its tag. Once the process has exited, or when it is killed, {@link
 * ProcessSweep} ends whatever of it is still running, exactly once; {@link #await()} returns after
 * that, so nothing the process started is alive when it does (within the limits {@link
 * LocalExecutor} states). Thread-safe.
 */
final class LocalExecution implements Execution {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecution.class);

  /**
   * How long output may stay open once the process and everything found of it have ended. Only a
   * process that could not be found (it left the group and cleared its environment) can still hold
   * it then; after this grace its output is no longer waited for.
   */
  static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  private final Process process;
  private final long pgid;
  private final String program;
  private final String tag;
  private final List<String> pipes;
  private final ProcessSweep sweep;
  private final CountDownLatch drained = new CountDownLatch(2);
  private final AtomicBoolean sweepStarted = new AtomicBoolean();
  private final CompletableFuture<List<EndedProcess>> swept = new CompletableFuture<>();
  private volatile boolean killed;
  private volatile boolean abandoned;
  private volatile String detail;

  /**
   * @param pgid the process's own group id, or {@code -1} when it shares the JVM's group
   * @param tag the name of the variable that marks it and everything it starts
   * @param pipes its stdout and stderr pipes as {@code /proc} names them, possibly none
   * @param startedNanos {@link System#nanoTime()} just before it was started
   */
  LocalExecution(
      Process process,
      long pgid,
      String program,
      String tag,
      List<String> pipes,
      long startedNanos) {
    this.process = process;
    this.pgid = pgid;
    this.program = program;
    this.tag = tag;
    this.pipes = List.copyOf(pipes);
    this.sweep = ProcessSweep.ofExecution(process.pid(), pgid, tag, pipes, startedNanos);
  }

  @Override
  public Optional<ProcessGroup> processGroup() {
    return pgid > 0 ? ProcessGroup.ledBy(process.toHandle(), tag, pipes) : Optional.empty();
  }

  long pid() {
    return process.pid();
  }

  /**
   * {@code listener}, until the output is abandoned (see {@link #DRAIN_GRACE}): lines that arrive
   * after {@link #await()} returned are dropped, since whoever reads them may have closed.
   */
  OutputListener guard(OutputListener listener) {
    return (stream, line) -> {
      if (!abandoned) {
        listener.onLine(stream, line);
      }
    };
  }

  /** Called by each of the two output readers when its stream has ended. */
  void streamDrained() {
    drained.countDown();
  }

  @Override
  public ExitStatus await() throws InterruptedException {
    process.waitFor();
    startSweep(false);
    List<EndedProcess> ended = sweepResult(Long.MAX_VALUE).orElseThrow();
    awaitDrained(Long.MAX_VALUE);
    return new ExitStatus(process.exitValue(), killed, detail, ended);
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    // On the shared pool: ending what the process left behind may take seconds, and this wait
    // keeps its limit.
    startSweep(true);
    return sweepResult(deadline).isPresent() && awaitDrained(deadline);
  }

  /** Starts the sweep after the process exited, unless a kill or another waiter has started it. */
  private void startSweep(boolean async) {
    if (!sweepStarted.compareAndSet(false, true)) {
      return;
    }
    if (async) {
      ExecThreads.IO.execute(() -> runSweep(false));
    } else {
      runSweep(false);
    }
  }

  private void runSweep(boolean leaderToo) {
    try {
      ProcessSweep.Result result = sweep.end(leaderToo ? process.toHandle() : null);
      if (!result.ended().isEmpty()) {
        LOG.debug(
            "{} (pid {}) {}: ended {}",
            program,
            process.pid(),
            leaderToo ? "was killed" : "exited",
            result.ended().stream().map(EndedProcess::pid).toList());
      }
      swept.complete(result.ended());
    } catch (RuntimeException | Error e) {
      swept.completeExceptionally(e);
      throw e;
    }
  }

  /** The sweep's result, or empty when {@code deadline} passed first. */
  private Optional<List<EndedProcess>> sweepResult(long deadline) throws InterruptedException {
    try {
      return Optional.of(
          deadline == Long.MAX_VALUE
              ? swept.get()
              : swept.get(Math.max(0, remaining(deadline)), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new OrchestraException(
          "could not end what " + program + " (pid " + process.pid() + ") left running", e);
    }
  }

  private boolean awaitDrained(long deadline) throws InterruptedException {
    long grace = Math.min(DRAIN_GRACE.toNanos(), remaining(deadline));
    if (drained.await(grace, TimeUnit.NANOSECONDS)) {
      return true;
    }
    if (remaining(deadline) <= 0) {
      return false;
    }
    if (!ProcFs.AVAILABLE && pgid > 0) {
      // Nothing could be looked for: the group is all there is to end, as a last resort.
      ProcessGroups.signal(pgid, "KILL");
      if (drained.await(
          Math.min(DRAIN_GRACE.toNanos(), remaining(deadline)), TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
    // Everything found has ended, yet a process still holds stdout or stderr open: one that left
    // the group and cleared its environment. Its reader stays blocked until it exits; what it
    // writes is dropped, so that this wait cannot hang on it.
    LOG.debug("{} (pid {}): output still open after everything found ended", program, pid());
    detail =
        "its output stayed open after it and every process found of it had ended, held by a"
            + " process that left its process group and cleared its environment; output after"
            + " that was not recorded";
    abandoned = true;
    return true;
  }

  private static long remaining(long deadline) {
    return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
  }

  /**
   * Ends the process and everything found of it ({@link ProcessSweep#end}: SIGTERM, a grace,
   * SIGKILL); within 5 seconds. When the process has already exited and its sweep is under way,
   * waits for that sweep instead.
   */
  @Override
  public void kill() {
    if (sweepStarted.compareAndSet(false, true)) {
      killed = process.isAlive();
      runSweep(true);
      return;
    }
    try {
      swept.get(ProcessSweep.LIMIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "ending what {} (pid {}) left running did not finish: {}", program, pid(), e.toString());
    }
  }
}
