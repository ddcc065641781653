package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.SeqGuard;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one run while holding its lease ({@link RunLeases}): each event is one transaction that
 * moves the run's {@code last_seq} on (only while the row names this owner and the number is the
 * next) and inserts the event's row; when it commits, the event is durable as the database's
 * commits are (SQLite in WAL mode with {@code synchronous=NORMAL}: it survives a crash of this
 * process; PostgreSQL: a crash of the server, with its default {@code fsync}).
 */
final class SqlRunRecorder implements RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(SqlRunRecorder.class);

  private final SqlRunStore store;
  private final Database db;
  private final String runId;
  private final SeqGuard seq;
  private final ScheduledFuture<?> renewal;
  private volatile boolean lost;
  private boolean closed;

  SqlRunRecorder(SqlRunStore store, Database db, String runId, long lastSeq) {
    this.store = store;
    this.db = db;
    this.runId = runId;
    this.seq = new SeqGuard(runId, lastSeq);
    long every = Math.max(1, store.options().leaseTtl().toMillis() / 3);
    this.renewal =
        store.scheduler().scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    try {
      if (!lost && !store.leases().renew(runId)) {
        lost = true;
        LOG.warn(
            "run {}: its lease was taken over by another process; this one records no more of it",
            runId);
      }
    } catch (RuntimeException e) {
      LOG.warn("run {}: renewing its lease failed, will try again: {}", runId, e.getMessage());
    }
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public synchronized void append(RecordedEvent event) {
    if (closed) {
      throw new OrchestraException(
          "run " + runId + " is no longer being recorded; cannot append event " + event.seq());
    }
    seq.check(event.seq());
    String body = EventJson.encode(event);
    boolean written =
        db.transaction(
            "append event " + event.seq() + " of run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE runs SET last_seq = ? WHERE id = ? AND last_seq = ? AND lease_owner = ?")) {
                s.setLong(1, event.seq());
                s.setString(2, runId);
                s.setLong(3, event.seq() - 1);
                s.setString(4, store.options().owner());
                if (s.executeUpdate() != 1) {
                  return false;
                }
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO events (run_id, seq, time_ns, type, node, body)"
                          + " VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setString(1, runId);
                s.setLong(2, event.seq());
                s.setLong(3, Rows.nanos(event.time()));
                s.setString(4, event.event().type());
                if (event.event().node() == null) {
                  s.setNull(5, Types.VARCHAR);
                } else {
                  s.setString(5, event.event().node());
                }
                s.setString(6, body);
                s.executeUpdate();
              }
              return true;
            });
    if (!written) {
      lost = true;
      throw new OrchestraException(
          "run "
              + runId
              + ": event "
              + event.seq()
              + " was not recorded: this process no longer holds the run (its lease expired and "
              + store.leases().lease(runId).map(Lease::owner).orElse("nobody")
              + " holds it now, or another process recorded in it); it records no more of the run");
    }
    seq.accept(event.seq());
  }

  @Override
  public AttemptRecorder attempt(String node, int attempt) {
    return new SqlAttemptRecorder(db, store.blobs(), runId, node, attempt);
  }

  @Override
  public void finish(RunResult result) {
    synchronized (this) {
      if (lost) {
        throw new OrchestraException(
            "run " + runId + ": its result was not recorded: this process no longer holds the run");
      }
    }
    db.transaction(
        "write the result of run " + runId,
        c -> {
          ResultRows.write(c, result, store.options().owner());
          return null;
        });
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    renewal.cancel(false);
    try {
      if (!lost) {
        store.leases().release(runId);
      }
    } finally {
      store.released(runId, this);
    }
  }
}
