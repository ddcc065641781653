package dev.orchestra.cli.run;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.Preflight;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.RunStatus;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.Workflow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code run} or {@code resume} in this process: builds the engine ({@link OrchestraRuntime}),
 * starts the run with a {@link RunView} listening, turns Ctrl-C and SIGTERM into a cancel of the
 * run (its process groups are killed and its records flushed before the JVM exits with 130), waits
 * for the end and answers the exit code.
 *
 * <p>Blocks the calling thread for the whole run. Not thread-safe; one session per command.
 */
public final class RunSession {
  private static final Logger LOG = LoggerFactory.getLogger(RunSession.class);

  /** How long a cancelled run may take to end before the JVM exits anyway. */
  private static final long CANCEL_GRACE_SECONDS = 20;

  /** Exit codes, as in {@code dev.orchestra.cli.ExitCode}. */
  private static final int OK = 0;

  private static final int FAILED = 1;
  private static final int INTERRUPTED = 130;

  private final FileRunStore store;
  private final Path baseDir;
  private final Clock clock;

  /**
   * A session recording in {@code store}, with relative paths of nodes starting at {@code baseDir}.
   */
  public RunSession(FileRunStore store, Path baseDir, Clock clock) {
    this.store = store;
    this.baseDir = baseDir;
    this.clock = clock;
  }

  /** The engine every front end runs ({@link OrchestraRuntime}), recording in this store. */
  OrchestraRuntime runtime() {
    return OrchestraRuntime.builder().store(store).baseDirectory(baseDir).clock(clock).build();
  }

  /**
   * What {@code workflow} (validated) needs from this machine and lacks, checked before anything
   * runs ({@link Engine#preflight}): credentials, agent CLIs, the Docker engine and images, the
   * workspace's repository.
   *
   * @param options the options the run will start with (its inputs and trust)
   */
  public Preflight.Findings preflight(Workflow workflow, RunOptions options) {
    try (OrchestraRuntime runtime = runtime()) {
      return runtime.engine().preflight(workflow, options);
    }
  }

  /**
   * Starts a run with {@code start}, shows it in {@code view} and waits for its end.
   *
   * @param err where the one message goes when the run's records could not be written (a full
   *     disk): what happened and how to continue
   * @param start starts (or resumes) the run on the engine with the given options
   * @return 0 when it succeeded, 1 when it failed or its records could not be written, 130 when it
   *     was interrupted or cancelled
   * @throws InterruptedException when this thread is interrupted while waiting; the run is
   *     cancelled first
   */
  public int execute(
      RunOptions options,
      RunView view,
      PrintWriter err,
      BiFunction<Engine, RunOptions, RunHandle> start)
      throws InterruptedException {
    try (OrchestraRuntime runtime = runtime()) {
      RunHandle handle = start.apply(runtime.engine(), options.withListener(view));
      AtomicBoolean signalled = new AtomicBoolean();
      CountDownLatch reported = new CountDownLatch(1);
      Thread hook =
          new Thread(() -> onSignal(handle, signalled, reported), "orchestra-cancel-on-exit");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        RunResult result;
        try {
          result = handle.await();
        } catch (InterruptedException e) {
          handle.cancel();
          throw e;
        }
        boolean interrupted = !removeHook(hook) || signalled.get();
        view.finish(result, store.runDirectory(result.runId()));
        Optional<String> recordsFailure = handle.recordsFailure();
        if (recordsFailure.isPresent() && !signalled.get()) {
          err.println(recordsFailed(result.runId(), recordsFailure.get()));
          err.flush();
          return FAILED;
        }
        if (interrupted || result.status() == RunStatus.CANCELLED) {
          view.interrupted(result.runId());
          return INTERRUPTED;
        }
        return result.status() == RunStatus.SUCCEEDED ? OK : FAILED;
      } finally {
        reported.countDown();
      }
    }
  }

  /** The one message for a run stopped because its records could not be written. */
  String recordsFailed(String runId, String failure) {
    return "orchestra: error: run "
        + runId
        + " stopped: its records could not be written ("
        + failure
        + "). Its processes were ended and its records end with the last event written; free"
        + " space in "
        + store.directory()
        + ", then continue it with: orchestra resume "
        + runId;
  }

  /**
   * Runs in the JVM's shutdown (Ctrl-C, SIGTERM): cancels the run, lets the command thread print
   * the summary and the resume hint, then ends the JVM with 130 whatever the signal was, as the
   * exit code contract says.
   */
  private static void onSignal(RunHandle handle, AtomicBoolean signalled, CountDownLatch reported) {
    signalled.set(true);
    LOG.info("cancelling run {} on shutdown", handle.runId());
    handle.cancel();
    try {
      if (!reported.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS)) {
        System.err.println(
            "orchestra: run "
                + handle.runId()
                + " did not end within "
                + CANCEL_GRACE_SECONDS
                + " s of the cancel; continue it with: orchestra resume "
                + handle.runId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(INTERRUPTED);
  }

  /** False when the hook could not be removed because the JVM is already shutting down. */
  private static boolean removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }
}
