package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.SeqGuard;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Records one run into its directory while holding the run's lock. Each event is encoded and
 * written with one {@code write(2)}; see {@link FileRunStore.Durability} for when it is forced to
 * disk.
 */
final class FileRunRecorder implements RunRecorder {
  private final String runId;
  private final Path dir;
  private final FileRunStore.Durability durability;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FileOutputStream events;
  private SeqGuard seq;
  private boolean closed;

  FileRunRecorder(
      String runId,
      Path dir,
      FileRunStore.Durability durability,
      FileChannel lockChannel,
      FileLock lock,
      long lastSeq)
      throws IOException {
    this.runId = runId;
    this.dir = dir;
    this.durability = durability;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.seq = new SeqGuard(runId, lastSeq);
    // FileOutputStream rather than a FileChannel: channel writes are interruptible and an
    // interrupted engine thread would otherwise close the event log for everyone.
    this.events = new FileOutputStream(dir.resolve(FileRunStore.EVENTS).toFile(), true);
  }

  /** Numbers the next event after {@code lastSeq}, the last one on record (reopen). */
  synchronized void continueAfter(long lastSeq) {
    seq = new SeqGuard(runId, lastSeq);
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public void append(RecordedEvent event) {
    byte[] line = (EventJson.encode(event) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      if (closed) {
        throw new OrchestraException(
            "run " + runId + " is no longer being recorded; cannot append event " + event.seq());
      }
      seq.check(event.seq());
      try {
        events.write(line);
        seq.accept(event.seq());
        if (durability == FileRunStore.Durability.MACHINE_CRASH
            && event.event() instanceof Event.NodeFinished) {
          events.getFD().sync();
        }
      } catch (IOException e) {
        throw new OrchestraException(
            "cannot append to "
                + dir.resolve(FileRunStore.EVENTS)
                + ": "
                + e
                + "; check free space and permissions",
            e);
      }
    }
  }

  @Override
  public AttemptRecorder attempt(String node, int attempt) {
    return new FileAttemptRecorder(
        dir.resolve(FileRunStore.NODES)
            .resolve(NodeDirectories.name(node))
            .resolve(Integer.toString(attempt)));
  }

  @Override
  public void finish(RunResult result) {
    Path file = dir.resolve(FileRunStore.RESULT);
    try {
      synchronized (this) {
        if (!closed) {
          events.getFD().sync();
        }
      }
      AtomicFiles.write(file, RecordsJson.result(result));
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e + "; check free space and permissions", e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      events.close();
    } catch (IOException e) {
      throw new OrchestraException("cannot close " + dir.resolve(FileRunStore.EVENTS), e);
    } finally {
      FileRunStore.release(lockChannel, lock);
    }
  }
}
