package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunPlanJson;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunCursor;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.StoredPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run records in a SQL database: SQLite (embedded, one file, the default: {@code
 * $ORCHESTRA_HOME/orchestra.db}, nothing to set up) or PostgreSQL (by JDBC URL, for a team and for
 * more than one server). Runs, events, node results, attempts, check results, named outputs, usage,
 * process groups and decisions are rows; prompts, transcripts, logs and final outputs are files
 * under the blob directory ({@link SqlOptions#blobs()}), referenced from the attempts' rows, and
 * each attempt's working directory is its blob directory. The schema is created and migrated by
 * Flyway when the store opens (docs/database.md).
 *
 * <p><b>Locks are leases</b> ({@link RunLeases}): the recorder {@link #create} or {@link #reopen}
 * returns holds its run's lease, renewed in the background, released on close; a process that dies
 * holding one leaves a lease that expires after {@link SqlOptions#leaseTtl()}, after which {@link
 * #reopen} (a resume) or a server's {@link RunLeases#takeOverExpired} takes the run. Until then the
 * run lists as running.
 *
 * <p><b>Durability.</b> Each event is committed before {@link RunRecorder#append} returns (see
 * {@link SqlRunRecorder}); a decision is committed before {@link #decide} returns. Writes of
 * concurrent callers share transactions ({@link Database}: group commit by whichever caller
 * writes), never at the cost of one returning before its own commit. Log lines are buffered per
 * attempt like the file store's.
 *
 * <p><b>Decisions</b> are rows with the primary key (run, node): {@code INSERT … ON CONFLICT DO
 * NOTHING} records the first and keeps it against every later or concurrent one, from any process.
 * Watches hear of this store's decisions at once and of other processes' within {@link
 * SqlOptions#decisionPoll()} ({@link DecisionWatches}).
 *
 * <p><b>Listed statuses</b> are those of the runs' {@code run_finished} events, recorded with the
 * event (a run lists as succeeded from the moment its last event can be read, before its result is
 * written), and none while a session runs (a resumed run lists as running, or interrupted, until it
 * ends again); {@link #result} keeps the last result meanwhile.
 *
 * <p><b>Costs.</b> Listing a page is one query on the {@code (started, id)} index (or the
 * workflow's), O(log n + page); reading the events after a sequence number one range scan of the
 * primary key (run, seq). See bench/store-bench.sh for measured append rates.
 *
 * <p>Thread-safe. Close it to release the leases of open recorders' runs and the connections.
 */
public final class SqlRunStore implements RunStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlRunStore.class);

  private final SqlOptions options;
  private final Database db;
  private final BlobFiles blobs;
  private final ScheduledExecutorService scheduler;
  private final RunLeases leases;
  private final DecisionWatches watches;
  private final Map<String, SqlRunRecorder> held = new ConcurrentHashMap<>();

  private SqlRunStore(SqlOptions options, Database db) {
    this.options = options;
    this.db = db;
    this.blobs = new BlobFiles(options.blobs());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "orchestra-db-leases");
              t.setDaemon(true);
              return t;
            });
    this.leases = new RunLeases(db, options);
    this.watches = new DecisionWatches(db, scheduler, options);
  }

  /**
   * Opens the store: connects, creates or migrates the schema, and makes the blob directory (and
   * for SQLite the database file's directory).
   *
   * @throws OrchestraException when the database cannot be reached or migrated, naming it (never
   *     its password) and what to check
   */
  public static SqlRunStore open(SqlOptions options) {
    Optional<Path> file = sqliteFile(options);
    if (file.isPresent() && file.get().getParent() != null) {
      new BlobFiles(file.get().getParent()).create("");
    }
    new BlobFiles(options.blobs()).create("");
    return new SqlRunStore(options, Database.open(options));
  }

  /** The SQLite database's file, absolute; empty on PostgreSQL. */
  private static Optional<Path> sqliteFile(SqlOptions options) {
    if (options.dialect() != Dialect.SQLITE) {
      return Optional.empty();
    }
    String file = options.url().substring("jdbc:sqlite:".length());
    int q = file.indexOf('?');
    return Optional.of(Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath());
  }

  /**
   * Makes this process the one server of its SQLite database ({@link SoleUse}), to hold while it
   * serves; with it, {@link RunLeases#takeOverOthers} may take the runs of dead servers at once.
   * Empty on PostgreSQL, where servers share the database through leases that expire.
   *
   * @throws OrchestraException when another server holds the database
   */
  public Optional<SoleUse> soleUse() {
    return sqliteFile(options).map(SoleUse::acquire);
  }

  /** What this store was opened with. */
  public SqlOptions options() {
    return options;
  }

  /** The leases on runs, for servers that share the database ({@link RunLeases}). */
  public RunLeases leases() {
    return leases;
  }

  /** The database as messages name it: its URL without parameters (never a password). */
  public String describe() {
    return db.where();
  }

  BlobFiles blobs() {
    return blobs;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  void released(String runId, SqlRunRecorder recorder) {
    held.remove(runId, recorder);
  }

  @Override
  public RunRecorder create(RunInfo info) {
    checkId(info.id());
    // Outside the transaction: a plan found in another store is read from there on first use.
    RunPlan plan = info.plan();
    String planJson = plan == null ? null : RunPlanJson.encode(plan);
    boolean created =
        db.transaction(
            "create run " + info.id(),
            c -> {
              if (exists(c, info.id())) {
                return false;
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO runs (id, workflow, workflow_file, workflow_text, inputs,"
                          + " started_ns, lease_owner, lease_expires_ms, run_plan)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, info.id());
                s.setString(2, info.workflow());
                s.setString(3, info.workflowFile());
                s.setString(4, info.workflowText());
                s.setString(5, Rows.json(info.inputs()));
                s.setLong(6, Rows.nanos(info.started()));
                s.setString(7, options.owner());
                s.setLong(8, options.clock().millis() + options.leaseTtl().toMillis());
                s.setString(9, planJson);
                s.executeUpdate();
              }
              return true;
            });
    if (!created) {
      throw new OrchestraException(
          "run "
              + info.id()
              + " already exists in the database "
              + describe()
              + "; use a new run id");
    }
    return hold(info.id(), 0);
  }

  @Override
  public RunRecorder reopen(String runId) {
    checkId(runId);
    if (held.containsKey(runId)) {
      throw new OrchestraException(
          "run "
              + runId
              + " is being recorded already by this process; wait for that run to end or cancel"
              + " it, then try again");
    }
    if (!leases.claim(runId)) {
      Optional<Lease> lease = leases.lease(runId);
      if (lease.isPresent()) {
        throw RunLeases.held(runId, lease.get());
      }
      throw unknown(runId);
    }
    long last =
        db.read(
            "read run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("SELECT last_seq FROM runs WHERE id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                  r.next();
                  return r.getLong(1);
                }
              }
            });
    return hold(runId, last);
  }

  private RunRecorder hold(String runId, long lastSeq) {
    SqlRunRecorder recorder = new SqlRunRecorder(this, db, runId, lastSeq);
    if (held.putIfAbsent(runId, recorder) != null) {
      recorder.close();
      throw new OrchestraException("run " + runId + " is being recorded already by this process");
    }
    return recorder;
  }

  @Override
  public List<RunSummary> list() {
    List<RunSummary> all = new ArrayList<>();
    RunQuery query = RunQuery.first(RunQuery.MAX_LIMIT);
    while (true) {
      RunPage page = list(query);
      all.addAll(page.runs());
      if (page.next().isEmpty()) {
        return all;
      }
      query = query.after(page.next().get());
    }
  }

  @Override
  public RunPage list(RunQuery query) {
    long now = options.clock().millis();
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, workflow, started_ns, ended_status, lease_owner, lease_expires_ms FROM runs"
                + " WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (query.workflow() != null) {
      sql.append(" AND workflow = ?");
      params.add(query.workflow());
    }
    if (query.startedFrom() != null) {
      sql.append(" AND started_ns >= ?");
      params.add(Rows.nanos(query.startedFrom()));
    }
    if (query.startedBefore() != null) {
      sql.append(" AND started_ns < ?");
      params.add(Rows.nanos(query.startedBefore()));
    }
    if (query.after() != null) {
      long at = Rows.nanos(query.after().started());
      sql.append(" AND (started_ns < ? OR (started_ns = ? AND id < ?))");
      params.add(at);
      params.add(at);
      params.add(query.after().id());
    }
    if (!query.statuses().isEmpty()) {
      List<String> any = new ArrayList<>();
      for (RunQuery.Status status : query.statuses()) {
        switch (status) {
          case RUNNING -> {
            any.add("(ended_status IS NULL AND lease_owner IS NOT NULL AND lease_expires_ms >= ?)");
            params.add(now);
          }
          case INTERRUPTED -> {
            any.add("(ended_status IS NULL AND (lease_owner IS NULL OR lease_expires_ms < ?))");
            params.add(now);
          }
          default -> {
            any.add("ended_status = ?");
            params.add(status.wireName());
          }
        }
      }
      sql.append(" AND (").append(String.join(" OR ", any)).append(")");
    }
    sql.append(" ORDER BY started_ns DESC, id DESC LIMIT ?");
    params.add(query.limit() + 1);
    List<RunSummary> runs =
        db.read(
            "list runs",
            c -> {
              List<RunSummary> found = new ArrayList<>();
              try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                  s.setObject(i + 1, params.get(i));
                }
                try (ResultSet r = s.executeQuery()) {
                  while (r.next()) {
                    String status = r.getString(4);
                    found.add(
                        new RunSummary(
                            r.getString(1),
                            r.getString(2),
                            Rows.instant(r.getLong(3)),
                            status == null ? null : RunStatus.fromWire(status),
                            r.getString(5) != null && r.getLong(6) >= now));
                  }
                }
              }
              return found;
            });
    if (runs.size() <= query.limit()) {
      return new RunPage(runs, Optional.empty());
    }
    List<RunSummary> page = runs.subList(0, query.limit());
    return new RunPage(page, Optional.of(RunCursor.after(page.get(page.size() - 1))));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement deletes the run's row, and with it (foreign keys, {@code ON DELETE CASCADE})
   * every row of the run, unless a live lease holds it; then its blob directory is removed.
   */
  @Override
  public boolean delete(String runId) {
    if (!RunIds.isValid(runId)) {
      return false;
    }
    if (held.containsKey(runId)) {
      throw new OrchestraException(
          "run " + runId + " is being recorded by this process; cancel it first, then delete it");
    }
    long now = options.clock().millis();
    int deleted =
        db.transaction(
            "delete run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "DELETE FROM runs WHERE id = ? AND (lease_owner IS NULL OR"
                          + " lease_expires_ms < ?)")) {
                s.setString(1, runId);
                s.setLong(2, now);
                return s.executeUpdate();
              }
            });
    if (deleted == 0) {
      Optional<Lease> lease = leases.lease(runId);
      if (lease.isPresent() && find(runId).isPresent()) {
        throw RunLeases.held(runId, lease.get());
      }
      return false;
    }
    Path dir = blobs.root().resolve(runId).normalize();
    if (dir.startsWith(blobs.root()) && Files.isDirectory(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        LOG.warn("run {} is deleted but its blobs in {} are left: {}", runId, dir, e.toString());
      }
    }
    return true;
  }

  /**
   * {@inheritDoc} The run's {@code run_plan} is read (one more query) when its plan is first asked
   * for ({@link StoredPlan}), not here.
   */
  @Override
  public Optional<RunInfo> find(String runId) {
    if (!RunIds.isValid(runId)) {
      return Optional.empty();
    }
    return db.read(
        "read run " + runId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT workflow, workflow_file, workflow_text, inputs, started_ns FROM runs"
                      + " WHERE id = ?")) {
            s.setString(1, runId);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new RunInfo(
                      runId,
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      Rows.map(r.getString(4)),
                      Rows.instant(r.getLong(5)),
                      StoredPlan.loadedBy(() -> plan(runId))));
            }
          }
        });
  }

  /**
   * The plan in the run's {@code run_plan}; none when the column is null (a run recorded before
   * plans were) or the run has been deleted since it was found.
   */
  private Optional<RunPlan> plan(String runId) {
    String json =
        db.read(
            "read the plan of run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("SELECT run_plan FROM runs WHERE id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                  return r.next() ? r.getString(1) : null;
                }
              }
            });
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunPlanJson.decode(json));
    } catch (IllegalArgumentException e) {
      throw new OrchestraException(
          "the plan of run "
              + runId
              + " in the database "
              + describe()
              + " cannot be read: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public List<RecordedEvent> events(String runId) {
    return events(runId, 0);
  }

  @Override
  public List<RecordedEvent> events(String runId, long afterSeq) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
    }
    List<RecordedEvent> events =
        existing(
            runId,
            "read the events of run " + runId,
            c -> {
              List<RecordedEvent> found = new ArrayList<>();
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT body FROM events WHERE run_id = ? AND seq > ? ORDER BY seq")) {
                s.setString(1, runId);
                s.setLong(2, afterSeq);
                try (ResultSet r = s.executeQuery()) {
                  while (r.next()) {
                    found.add(EventJson.decode(r.getString(1)));
                  }
                }
              }
              return found;
            });
    return events;
  }

  @Override
  public Optional<RunResult> result(String runId) {
    return existing(runId, "read the result of run " + runId, c -> ResultRows.read(c, runId));
  }

  @Override
  public List<AttemptRecord> attempts(String runId, String node) {
    return existing(
        runId,
        "read the attempts of node " + node + " of run " + runId,
        c -> AttemptRows.read(c, blobs, runId, node));
  }

  @Override
  public Decision decide(String runId, String node, Decision decision) {
    boolean recorded =
        existing(
            runId,
            "record the decision on node " + node + " of run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO decisions (run_id, node, approved, decided_by, comment,"
                          + " decided_ns) VALUES (?, ?, ?, ?, ?, ?)"
                          + " ON CONFLICT (run_id, node) DO NOTHING")) {
                s.setString(1, runId);
                s.setString(2, node);
                s.setBoolean(3, decision.approved());
                s.setString(4, decision.by());
                s.setString(5, decision.comment());
                s.setLong(6, Rows.nanos(decision.time()));
                return s.executeUpdate() == 1;
              }
            });
    if (recorded) {
      watches.decided(runId, node);
      return decision;
    }
    Decision onRecord = decisions(runId).get(node);
    if (onRecord == null) {
      throw new OrchestraException(
          "the decision on node '"
              + node
              + "' of run "
              + runId
              + " was refused but none is on record");
    }
    return onRecord;
  }

  @Override
  public Map<String, Decision> decisions(String runId) {
    return existing(
        runId,
        "read the decisions of run " + runId,
        c -> {
          Map<String, Decision> all = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT node, approved, decided_by, comment, decided_ns FROM decisions"
                      + " WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                all.put(
                    r.getString(1),
                    new Decision(
                        r.getBoolean(2),
                        r.getString(3),
                        r.getString(4),
                        Rows.instant(r.getLong(5))));
              }
            }
          }
          return all;
        });
  }

  @Override
  public DecisionWatch watchDecisions(
      String runId, Collection<String> nodes, Consumer<String> listener) {
    existing(runId, "watch the decisions of run " + runId, c -> null);
    return watches.watch(runId, Set.copyOf(nodes), listener);
  }

  /** Runs {@code work} after checking that the run exists, on one connection. */
  private <T> T existing(String runId, String what, Database.Work<T> work) {
    checkId(runId);
    Object[] answer = new Object[1];
    boolean found =
        db.read(
            what,
            c -> {
              if (!exists(c, runId)) {
                return false;
              }
              answer[0] = work.on(c);
              return true;
            });
    if (!found) {
      throw unknown(runId);
    }
    @SuppressWarnings("unchecked")
    T t = (T) answer[0];
    return t;
  }

  private static boolean exists(Connection c, String runId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
      s.setString(1, runId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private OrchestraException unknown(String runId) {
    return new OrchestraException(
        "no run '"
            + runId
            + "' in the database "
            + describe()
            + "; `orchestra runs import` brings in runs recorded in .orchestra/runs");
  }

  private static void checkId(String runId) {
    if (!RunIds.isValid(runId)) {
      throw new OrchestraException(
          "'" + runId + "' is not a run id; run ids look like 20261123-221530-3fa2");
    }
  }

  /** Closes the recorders still open (releasing their leases), the watches and the connections. */
  @Override
  public void close() {
    for (SqlRunRecorder recorder : List.copyOf(held.values())) {
      try {
        recorder.close();
      } catch (RuntimeException e) {
        // The lease expires by itself; the connections must still be closed.
        LOG.warn("run {}: releasing its lease failed: {}", recorder.runId(), e.getMessage());
      }
    }
    scheduler.shutdownNow();
    db.close();
  }
}
