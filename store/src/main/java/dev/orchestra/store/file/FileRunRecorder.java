package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.SeqGuard;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one run into its directory while holding the run's lock, or one node of a planned run
 * while holding the node's lock ({@link FileRunStore#recordNode}: its events go to {@code
 * nodes/NODE/events.jsonl}, see {@link NodeSegments}). Each event is encoded and written with one
 * {@code write(2)}; see {@link FileRunStore.Durability} for when it is forced to disk.
 */
final class FileRunRecorder implements RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(FileRunRecorder.class);

  private final String runId;
  private final Path dir;
  private final Path eventsFile;
  private final String node;
  private final FileRunStore.Durability durability;
  private final Runnable unlock;
  private final FileOutputStream events;
  private final SeqGuard seq;
  private final AttemptFacts.Writer facts;

  /** The length of the events file after the last whole event: a failed write is cut back to it. */
  private long length;

  private boolean closed;

  FileRunRecorder(
      String runId,
      Path dir,
      FileRunStore.Durability durability,
      FileChannel lockChannel,
      FileLock lock,
      long lastSeq)
      throws IOException {
    this(
        runId,
        dir,
        dir.resolve(FileRunStore.EVENTS),
        null,
        durability,
        new SeqGuard(runId, lastSeq),
        () -> FileRunStore.release(lockChannel, lock));
  }

  /**
   * @param eventsFile where the events go
   * @param node the planned node recorded, or {@code null} for the whole run
   * @param seq the numbers' rule ({@link SeqGuard#provisional} for a node)
   * @param unlock releases what this recorder holds, once, when it is closed
   */
  FileRunRecorder(
      String runId,
      Path dir,
      Path eventsFile,
      String node,
      FileRunStore.Durability durability,
      SeqGuard seq,
      Runnable unlock)
      throws IOException {
    this.runId = runId;
    this.dir = dir;
    this.eventsFile = eventsFile;
    this.node = node;
    this.durability = durability;
    this.seq = seq;
    this.unlock = unlock;
    // A node's process writes next to its events, apart from the other nodes' processes.
    this.facts =
        new AttemptFacts.Writer(
            node == null
                ? dir.resolve(AttemptFacts.FILE)
                : eventsFile.resolveSibling(AttemptFacts.FILE));
    // FileOutputStream rather than a FileChannel: channel writes are interruptible and an
    // interrupted engine thread would otherwise close the event log for everyone.
    this.events = new FileOutputStream(eventsFile.toFile(), true);
    this.length = Files.size(eventsFile);
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
        length += line.length;
        seq.accept(event.seq());
        if (durability == FileRunStore.Durability.MACHINE_CRASH
            && event.event() instanceof Event.NodeFinished) {
          events.getFD().sync();
        }
      } catch (IOException e) {
        cutBack();
        throw new OrchestraException(
            "cannot append to "
                + eventsFile
                + ": "
                + e.getMessage()
                + "; check free space and permissions",
            e);
      }
    }
  }

  /**
   * Cuts the events file back to its last whole event after a failed write (a full disk writes part
   * of a line), so that no torn line is left; readers and {@code reopen} skip one anyway.
   */
  private void cutBack() {
    try (RandomAccessFile file = new RandomAccessFile(eventsFile.toFile(), "rw")) {
      if (file.length() > length) {
        file.setLength(length);
      }
    } catch (IOException e) {
      // Readers skip the torn line; a resume cuts it off.
    }
  }

  @Override
  public AttemptRecorder attempt(String node, int attempt) {
    return new FileAttemptRecorder(
        dir.resolve(FileRunStore.NODES)
            .resolve(NodeDirectories.name(node))
            .resolve(Integer.toString(attempt)),
        node,
        attempt,
        facts);
  }

  @Override
  public void finish(RunResult result) {
    if (node != null) {
      throw new IllegalStateException("node " + node + " cannot finish run " + runId);
    }
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
          "cannot write " + file + ": " + e.getMessage() + "; check free space and permissions", e);
    }
    writeSummary(result);
  }

  /**
   * Writes {@code summary.json} after {@code result.json}, never before: a summary is there only
   * when it says what the result says. Without one (a crash in between, a failed write, older
   * records) a listing reads {@code run.json} and {@code result.json} instead, so a failure here
   * costs only speed and is not the run's failure.
   */
  private void writeSummary(RunResult result) {
    Path file = dir.resolve(FileRunStore.SUMMARY);
    try {
      RunInfo info =
          RecordsJson.runInfo(
              Files.readString(dir.resolve(FileRunStore.RUN), StandardCharsets.UTF_8), null);
      AtomicFiles.write(file, RecordsJson.summary(info, result));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot write {} ({}); listings read the run's result instead", file, e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (node != null) {
        // The node's process ends now: what it recorded must outlive it for the run's finish.
        events.getFD().sync();
      }
      try {
        facts.close();
      } finally {
        events.close();
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot close " + eventsFile, e);
    } finally {
      unlock.run();
    }
  }
}
