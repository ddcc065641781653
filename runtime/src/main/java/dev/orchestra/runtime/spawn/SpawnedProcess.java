package dev.orchestra.runtime.spawn;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child that {@link PosixSpawner} started, as a {@link Process}: its exit is collected by {@code
 * waitpid} on a thread of a shared pool (as the JDK does for its own children; {@code waitpid} on
 * this pid only, so the JDK's children are never taken), and its status reported as the JDK reports
 * it: the exit code, or 128 plus the signal that ended it.
 */
final class SpawnedProcess extends Process {
  /** Threads that wait for children; idle ones end after a minute. */
  private static final ExecutorService WAITERS =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(null, task, "orchestra-spawn-waiter", 256 * 1024);
            thread.setDaemon(true);
            return thread;
          });

  private final long pid;
  private final ProcessHandle handle;
  private final InputStream stdout;
  private final InputStream stderr;
  private final List<String> pipes;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private SpawnedProcess(
      long pid, ProcessHandle handle, InputStream stdout, InputStream stderr, List<String> pipes) {
    this.pid = pid;
    this.handle = handle;
    this.stdout = stdout;
    this.stderr = stderr;
    this.pipes = List.copyOf(pipes);
  }

  /**
   * The child {@code pid}, just spawned, and the wait for its exit.
   *
   * @param pipes its stdout and stderr pipes as {@code /proc} names them
   * @throws IOException when the child cannot be seen (it is not reaped before the wait starts, so
   *     it is there at least as a zombie)
   */
  static SpawnedProcess start(
      LibC c, int pid, InputStream stdout, InputStream stderr, List<String> pipes)
      throws IOException {
    // The handle is taken before anything reaps the child, so it knows the child's start time and
    // stays usable after the exit (ProcessGroup records it; a destroy checks it against pid reuse).
    ProcessHandle handle =
        ProcessHandle.of(pid)
            .orElseThrow(() -> new IOException("process " + pid + " vanished after its start"));
    var process = new SpawnedProcess(pid, handle, stdout, stderr, pipes);
    WAITERS.execute(
        () -> {
          try {
            process.exit.complete(waitFor(c, pid));
          } catch (RuntimeException | Error e) {
            process.exit.completeExceptionally(e);
          }
        });
    return process;
  }

  private static int waitFor(LibC c, int pid) {
    var status = new IntByReference();
    while (c.waitpid(pid, status, 0) < 0) {
      int errno = Native.getLastError();
      if (errno != LibC.EINTR) {
        // ECHILD: something else reaped it (nothing in this JVM waits for all children).
        throw new IllegalStateException(
            "the exit status of process " + pid + " is lost: " + c.strerror(errno));
      }
    }
    int s = status.getValue();
    int signal = s & 0x7f;
    return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
  }

  /** Its stdout and stderr pipes as {@code /proc} names them ({@code pipe:[INODE]}). */
  List<String> pipes() {
    return pipes;
  }

  @Override
  public OutputStream getOutputStream() {
    // Stdin comes from a file (see Spawner.Launch).
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process " + pid + " failed", e.getCause());
    }
  }

  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      exit.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process " + pid + " failed", e.getCause());
    }
  }

  @Override
  public int exitValue() {
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("process " + pid + " has not exited");
    }
    return exit.join();
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public void destroy() {
    if (isAlive()) {
      handle.destroy();
    }
  }

  @Override
  public Process destroyForcibly() {
    if (isAlive()) {
      handle.destroyForcibly();
    }
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public ProcessHandle toHandle() {
    return handle;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit.thenApply(code -> this);
  }
}
