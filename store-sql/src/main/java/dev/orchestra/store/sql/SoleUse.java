package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What makes a process the one server of a SQLite database: an exclusive lock on {@code
 * FILE.serve-lock} beside the database file, held while the server runs. The operating system
 * releases it when the process ends, however it ends ({@code kill -9} too), so a server that gets
 * it knows that no other server runs the database's runs: the leases other owners hold are those of
 * dead processes, and it takes their runs over at once ({@link RunLeases#takeOverOthers}) instead
 * of waiting for the leases to expire. Other commands on the same database ({@code approve}, {@code
 * tokens}, {@code runs import}) do not take it. The lock file stays when released.
 *
 * <p>Thread-safe; closing twice is harmless.
 */
public final class SoleUse implements AutoCloseable {
  private final Path file;

  /** The lock file's channel; closing it releases the lock. */
  private final FileChannel channel;

  private SoleUse(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Takes the lock of the SQLite database {@code database}.
   *
   * @throws OrchestraException when another process (or another server in this one) holds it, or
   *     the lock file cannot be opened, naming the file and what to do
   */
  static SoleUse acquire(Path database) {
    Path file = database.resolveSibling(database.getFileName() + ".serve-lock");
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot open " + file + " to lock the database: " + e + "; check its permissions", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another server in this JVM
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OrchestraException("cannot lock " + file + ": " + e, e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new OrchestraException(
          "another orchestra serve uses the database "
              + database
              + " (it holds "
              + file
              + "); a SQLite database takes one server: stop that one, give this one another"
              + " ORCHESTRA_HOME or --db, or keep the runs in PostgreSQL to run more than one"
              + " (docs/server.md, \"PostgreSQL and more than one server\")");
    }
    return new SoleUse(file, channel);
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock (by closing its channel). */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do: the descriptor is gone with the process at the latest.
    }
  }
}
