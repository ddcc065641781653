package dev.orchestra.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import dev.orchestra.OrchestraException;
import dev.orchestra.exec.Execution;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container started by {@link DockerExecutor}; owns it and removes it. Thread-safe.
 *
 * <p>When the container ends, a watcher reads its final state (exit code, {@code OOMKilled}, the
 * engine's error), waits for the output to drain, removes the container, and only then completes
 * {@link #await()}: once await returns, nothing of the container is left.
 */
final class ContainerExecution implements Execution {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerExecution.class);

  /** {@link #kill()}: how long the process has after SIGTERM before the engine sends SIGKILL. */
  static final int STOP_SECONDS = 2;

  /** How long output may still arrive after the container ended. */
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

  private final DockerClient client;
  private final String id;
  private final String program;
  private final FrameLines stdout;
  private final FrameLines stderr;
  private final CountDownLatch drained = new CountDownLatch(1);
  private final CompletableFuture<ExitStatus> done = new CompletableFuture<>();
  private final Object killLock = new Object();
  private volatile boolean killed;
  private boolean killDone; // guarded by killLock
  private volatile Closeable output;
  private final AtomicBoolean ending = new AtomicBoolean();

  ContainerExecution(DockerClient client, String id, String program, OutputListener listener) {
    this.client = client;
    this.id = id;
    this.program = program;
    this.stdout = new FrameLines(OutputStream.STDOUT, listener);
    this.stderr = new FrameLines(OutputStream.STDERR, listener);
  }

  String id() {
    return id;
  }

  /** Starts the container, attaches to its output and watches for its end. */
  void start() {
    client.startContainerCmd(id).exec();
    // Followed after the start from the beginning of the log, so nothing written before is lost;
    // unlike attach, the log stream ends when the container does.
    var logs =
        client
            .logContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(true)
            .withTailAll();
    output =
        logs.exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? stderr : stdout)
                    .accept(frame.getPayload());
              }

              @Override
              public void onError(Throwable t) {
                LOG.debug("output of container {} ended with {}", id, t.toString());
                finishOutput();
              }

              @Override
              public void onComplete() {
                finishOutput();
              }
            });
    client
        .waitContainerCmd(id)
        .exec(
            new ResultCallback.Adapter<WaitResponse>() {
              private volatile Integer code;

              @Override
              public void onNext(WaitResponse r) {
                code = r.getStatusCode();
              }

              @Override
              public void onError(Throwable t) {
                // The container was removed under the wait: a kill did it.
                ended(code);
              }

              @Override
              public void onComplete() {
                ended(code);
              }
            });
  }

  private void finishOutput() {
    drained.countDown();
  }

  /**
   * Delivers what the live log stream missed: the engine may end a followed log before its last
   * lines when the container stops. Reads the whole log once more (not followed); {@link
   * FrameLines#acceptReplay} skips what was delivered already.
   */
  private void replayMissedOutput() throws InterruptedException {
    stdout.seal();
    stderr.seal();
    try {
      boolean complete =
          client
              .logContainerCmd(id)
              .withStdOut(true)
              .withStdErr(true)
              .withTailAll()
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      (frame.getStreamType() == StreamType.STDERR ? stderr : stdout)
                          .acceptReplay(frame.getPayload());
                    }
                  })
              .awaitCompletion(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      if (!complete) {
        LOG.debug("reading the log of container {} again took over {}", id, DRAIN_GRACE);
      }
    } catch (NotFoundException e) {
      // Removed by a kill: what was streamed is all there is.
    } catch (RuntimeException e) {
      LOG.debug("reading the log of container {} again failed: {}", id, e.toString());
    }
  }

  /**
   * Runs once the container has ended, on whichever thread sees that first: state, drain, removal,
   * then completes {@link #done}.
   */
  private void ended(Integer waitCode) {
    if (!ending.compareAndSet(false, true)) {
      return;
    }
    long t0 = System.nanoTime();
    ExitStatus status;
    try {
      status = status(waitCode);
    } catch (RuntimeException e) {
      status =
          new ExitStatus(255, killed, "could not read the container's state: " + e.getMessage());
    }
    boolean interrupted = false;
    try {
      if (!drained.await(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.debug("output of container {} still open {} after it ended", id, DRAIN_GRACE);
      }
      closeOutput();
      replayMissedOutput();
    } catch (InterruptedException e) {
      interrupted = true; // still remove the container: leaving it behind is worse
    } finally {
      closeOutput();
      stdout.finish();
      stderr.finish();
    }
    remove();
    LOG.debug(
        "container {} ended and was removed in {} ms", id, (System.nanoTime() - t0) / 1_000_000);
    done.complete(status);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private ExitStatus status(Integer waitCode) {
    InspectContainerResponse.ContainerState state;
    try {
      state = client.inspectContainerCmd(id).exec().getState();
    } catch (NotFoundException e) {
      int code = waitCode != null ? waitCode : 137;
      return new ExitStatus(
          code, killed, killed ? null : "the container was removed while running");
    }
    int code =
        state.getExitCodeLong() != null
            ? state.getExitCodeLong().intValue()
            : waitCode != null ? waitCode : 255;
    return new ExitStatus(code, killed, ExitDetail.of(state, code, killed));
  }

  private void closeOutput() {
    Closeable out = output;
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.debug("closing the output of container {}: {}", id, e.toString());
      }
    }
  }

  private void remove() {
    try {
      client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    } catch (DockerException e) {
      // A removal already in progress (kill) ends with the container gone as well.
      LOG.debug("removing container {}: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("could not remove container {} ({}); remove it with `docker rm -f {}`", id, e, id);
    }
  }

  @Override
  public ExitStatus await() throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      throw new OrchestraException("watching container " + id + " of " + program + " failed", e);
    }
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    try {
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new OrchestraException("watching container " + id + " of " + program + " failed", e);
    }
  }

  /**
   * Stops the container (SIGTERM, SIGKILL after {@link #STOP_SECONDS}) and removes it; returns
   * within about 5 seconds, with the container gone unless the engine itself is stuck.
   */
  @Override
  public void kill() {
    synchronized (killLock) {
      if (killDone) {
        return;
      }
      killDone = true;
      killed = !done.isDone();
      if (!killed) {
        return;
      }
      boolean interrupted = false;
      try {
        client.stopContainerCmd(id).withTimeout(STOP_SECONDS).exec();
      } catch (NotFoundException | NotModifiedException e) {
        // Ended or removed meanwhile.
      } catch (RuntimeException e) {
        LOG.debug("stopping container {}: {}", id, e.toString());
      }
      try {
        done.get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException | TimeoutException e) {
        LOG.debug("container {} not reported ended 2 s after stop: removing it by force", id);
      }
      if (!done.isDone()) {
        remove();
        ended(137);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
