package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
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
 * Records one run while holding its lease ({@link RunLeases}): each event is one work of a
 * transaction ({@link Database#transaction}) that moves the run's {@code last_seq} on (only while
 * the row names this owner and the number is the next) and inserts the event's row; a {@code
 * run_finished} also sets the run's {@code ended_status} (the status listings show) and a {@code
 * run_started} clears it, in that transaction, so a listing never lags the events. {@link #append}
 * returns when that transaction committed, so an event is durable before the engine goes on (and
 * before any listener or event stream sees it), as the database's commits are: SQLite in WAL mode
 * with {@code synchronous=NORMAL} survives a crash or {@code kill -9} of this process but not
 * always a power loss or an operating system crash; PostgreSQL with its default {@code fsync}
 * survives a crash of its server and of the machine. Events of concurrent runs share transactions
 * (group commit), a run's own events are committed one after the other, so its {@code seq} has no
 * gaps in the database at any moment.
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
    boolean ends = endsOrStartsASession(event.event());
    String ended = endedStatus(event.event());
    boolean written =
        db.transaction(
            "append event " + event.seq() + " of run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE runs SET last_seq = ?"
                          + (ends ? ", ended_status = ?" : "")
                          + " WHERE id = ? AND last_seq = ? AND lease_owner = ?")) {
                int at = 1;
                s.setLong(at++, event.seq());
                if (ends) {
                  s.setString(at++, ended);
                }
                s.setString(at++, runId);
                s.setLong(at++, event.seq() - 1);
                s.setString(at, store.options().owner());
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

  /** Whether {@code e} changes the run's {@code ended_status}: a session's start or end. */
  private static boolean endsOrStartsASession(Event e) {
    return e instanceof Event.RunFinished || e instanceof Event.RunStarted;
  }

  /** The run's {@code ended_status} after {@code e}: its status at the end, none at a start. */
  private static String endedStatus(Event e) {
    return e instanceof Event.RunFinished f ? f.status().wireName() : null;
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
