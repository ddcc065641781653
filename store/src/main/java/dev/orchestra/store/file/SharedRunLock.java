package dev.orchestra.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared hold on a run's {@code lock} file that every process recording one of its nodes keeps
 * ({@code fcntl} read lock), so that no process takes the run's exclusive lock (to resume or finish
 * it) while nodes are recorded, yet any number of node processes run at once. The OS releases it
 * when the process dies.
 *
 * <p>Within one JVM the OS lock is taken once per run and counted, since a JVM may not hold two
 * overlapping locks on one file ({@link OverlappingFileLockException}). Thread-safe.
 */
final class SharedRunLock implements AutoCloseable {
  private static final Map<Path, Held> HELD = new HashMap<>();

  private final Path file;
  private boolean closed;

  private SharedRunLock(Path file) {
    this.file = file;
  }

  /** The OS lock and how many holders this JVM has. */
  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    int holders;

    Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  /**
   * Takes the shared hold on {@code lockFile}, creating it when needed.
   *
   * @return the hold, or {@code null} when another process (or this JVM's run recorder) holds the
   *     run's exclusive lock
   */
  static SharedRunLock take(Path lockFile) throws IOException {
    Path file = lockFile.toAbsolutePath().normalize();
    synchronized (HELD) {
      Held held = HELD.get(file);
      if (held == null) {
        FileChannel channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
          lock = null;
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        if (lock == null) {
          channel.close();
          return null;
        }
        held = new Held(channel, lock);
        HELD.put(file, held);
      }
      held.holders++;
      return new SharedRunLock(file);
    }
  }

  /** Gives the hold back; the OS lock goes with the JVM's last holder. Idempotent. */
  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(file);
      if (held != null && --held.holders == 0) {
        HELD.remove(file);
        FileRunStore.release(held.channel, held.lock);
      }
    }
  }
}
