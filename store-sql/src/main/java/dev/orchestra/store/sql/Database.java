package dev.orchestra.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestra.OrchestraException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pool of connections to the store's database (HikariCP), migrated to the current schema with
 * Flyway when opened, and the two ways the store uses it: a read and a transaction. Thread-safe.
 *
 * <p><b>Group commit.</b> Every {@link #transaction} of this process is queued, and a caller that
 * finds a writer's place free takes it (one place for SQLite, up to four for PostgreSQL): it runs
 * the works queued meanwhile, its own among them (at most {@value #MAX_BATCH}), in one database
 * transaction, commits it once, and goes on while works are queued; the callers whose works it
 * committed wait for that commit. Each caller returns when the commit holding its work is done, so
 * a returned transaction is exactly as durable as before, and a work's failure is its caller's
 * alone (the batch is rolled back and its works run again one transaction each). Nothing waits to
 * fill a batch: a caller alone commits its work at once on its own thread, with no hand-over to
 * another thread and back (two wake-ups that a loaded machine makes cost milliseconds each); under
 * load, works queue while a batch commits, so concurrent runs share commits (one {@code fsync} of
 * PostgreSQL's log for many events) and this process never waits on SQLite's lock for itself (its
 * busy timeout is only for other processes). Works must not call back into this database.
 */
final class Database implements AutoCloseable {
  /** The most works one transaction carries. */
  static final int MAX_BATCH = 256;

  /** Where the migrations are on the class path; one set serves both dialects. */
  static final String MIGRATIONS = "classpath:dev/orchestra/store/sql/migration";

  /** The table in which Flyway records the migrations it applied. */
  static final String HISTORY = "orchestra_schema_history";

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  /**
   * A work waiting for its commit, its caller and the answer. The caller is woken ({@link #wake})
   * after the answer is in, by the writer that committed it, once that writer has left its place.
   */
  private static final class Pending<T> {
    final Work<T> work;
    final Thread caller = Thread.currentThread();
    final CompletableFuture<T> done = new CompletableFuture<>();

    Pending(Work<T> work) {
      this.work = work;
    }

    @SuppressWarnings("unchecked")
    void succeed(Object result) {
      done.complete((T) result);
    }

    void fail(Throwable e) {
      done.completeExceptionally(e);
    }

    void wake() {
      if (caller != Thread.currentThread()) {
        LockSupport.unpark(caller);
      }
    }
  }

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String where;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final int writerCount;

  /** The writers' places: a caller holding one commits batches. */
  private final Semaphore places;

  /** The works' prepared statements, kept from one transaction to the next (SQLite only). */
  private final StatementCache statements = new StatementCache();

  /** Whether this thread runs works now (a work must not start a transaction). */
  private final ThreadLocal<Boolean> writing = ThreadLocal.withInitial(() -> false);

  private volatile boolean closed;

  private Database(HikariDataSource pool, Dialect dialect, String where, int writerCount) {
    this.pool = pool;
    this.dialect = dialect;
    this.where = where;
    this.writerCount = writerCount;
    this.places = new Semaphore(writerCount);
  }

  /**
   * How many batches commit at once: one for SQLite, which has one writer at a time anyway; for
   * PostgreSQL, whose transactions run side by side, up to 4 (half the pool), so that one batch's
   * round trips to the server do not hold up the next.
   */
  private static int writers(SqlOptions options) {
    return options.dialect() == Dialect.SQLITE
        ? 1
        : Math.max(1, Math.min(4, options.poolSize() / 2));
  }

  /** Opens the pool and migrates the schema. */
  static Database open(SqlOptions options) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orchestra-db");
    config.setMaximumPoolSize(options.poolSize());
    config.setAutoCommit(true);
    if (options.dialect() == Dialect.SQLITE) {
      SQLiteConfig sqlite = new SQLiteConfig();
      // WAL: readers go on while one writer writes. NORMAL: a commit survives a crash of this
      // process (not always a power loss), as the file store's events do.
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
      sqlite.setBusyTimeout((int) options.busyTimeout().toMillis());
      sqlite.enforceForeignKeys(true);
      // BEGIN IMMEDIATE: a write transaction takes the write lock first, waiting (busy timeout)
      // instead of failing when it would upgrade a read lock another writer blocks.
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      SQLiteDataSource ds = new SQLiteDataSource(sqlite);
      ds.setUrl(options.url());
      config.setDataSource(ds);
    } else {
      config.setJdbcUrl(options.url());
      options.user().ifPresent(config::setUsername);
      options.password().ifPresent(config::setPassword);
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new OrchestraException(
          "cannot connect to the database "
              + options.describe()
              + ": "
              + rootMessage(e)
              + "; check the URL, that the database runs and accepts this user, and the password"
              + " (the credential '"
              + SqlOptions.PASSWORD_CREDENTIAL
              + "' or "
              + SqlOptions.PASSWORD_ENV
              + ")",
          e);
    }
    try {
      Flyway.configure()
          .dataSource(pool)
          .locations(MIGRATIONS)
          .table(HISTORY)
          .baselineOnMigrate(false)
          .load()
          .migrate();
    } catch (FlywayException e) {
      pool.close();
      throw new OrchestraException(
          "cannot bring the database "
              + options.describe()
              + " to Orchestra's schema: "
              + rootMessage(e)
              + "; a database of a newer Orchestra needs that version, and another"
              + " application's database needs a database of Orchestra's own",
          e);
    }
    return new Database(pool, options.dialect(), options.describe(), writers(options));
  }

  Dialect dialect() {
    return dialect;
  }

  /** The database as messages name it (no password). */
  String where() {
    return where;
  }

  /**
   * Runs {@code work} on a connection of its own, in auto-commit mode.
   *
   * @param what what the work does, for the message when it fails ("read run X")
   */
  <T> T read(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.on(c);
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /**
   * Runs {@code work} in a transaction, committed before this returns; rolled back (and the failure
   * thrown here) when it throws. The transaction may hold other callers' works (see the class
   * comment); {@code work} may run more than once when another work of its batch fails, each time
   * on a transaction of which nothing was committed.
   */
  <T> T transaction(String what, Work<T> work) {
    if (writing.get()) {
      throw new IllegalStateException("a transaction's work must not start another: " + what);
    }
    Pending<T> p = new Pending<>(work);
    synchronized (queue) {
      if (closed) {
        throw new OrchestraException(
            "cannot " + what + " in the database " + where + ": the store is closed");
      }
      queue.add(p);
    }
    await(p);
    try {
      return p.done.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw failure(what, sql);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new OrchestraException("cannot " + what + ": " + cause, cause);
    }
  }

  /** How many works wait for the writer (for tests). */
  int queued() {
    return queue.size();
  }

  /** How many prepared statements the transactions keep (for tests). */
  int keptStatements() {
    return statements.size();
  }

  /**
   * Returns when {@code p} is committed (or failed): commits batches itself while it holds a
   * writer's place, else waits to be woken, by the holder that committed {@code p} or by one that
   * left its place while works were queued. Interrupts are set aside until it returns: a
   * transaction that returned before its commit would be worse than a late cancel, and the batch it
   * commits holds other callers' works, which an interrupted connection request would fail.
   */
  private void await(Pending<?> p) {
    boolean interrupted = Thread.interrupted();
    while (!p.done.isDone()) {
      write(p);
      if (!p.done.isDone()) {
        LockSupport.park(this);
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Commits batches of queued works while it holds a writer's place (taken only when one is free),
   * until {@code mine} is done; then leaves the place and, when works are still queued, wakes the
   * caller of the first of them to take it over, so that no caller commits others' works for long.
   * The place is left before anyone is woken, so that a caller that comes meanwhile finds it free
   * and commits at once: a thread that is woken may take the core from its waker, and waking the 20
   * callers of a batch one after the other took up to tens of milliseconds on a loaded machine.
   * Then the callers of the batch that held {@code mine} are woken, then the first queued caller
   * (woken first, it delayed the batch's callers more than it sped up the next batch).
   */
  private void write(Pending<?> mine) {
    List<Pending<?>> batch = new ArrayList<>();
    List<Pending<?>> committed = new ArrayList<>();
    // Looked at again after the place is left: a work queued, while this thread held the place, by
    // a caller that found no place free is committed by this thread or by the one it wakes.
    while (!mine.done.isDone() && !queue.isEmpty() && places.tryAcquire()) {
      writing.set(true);
      try {
        while (!mine.done.isDone() && queue.drainTo(batch, MAX_BATCH) > 0) {
          commit(batch);
          if (mine.done.isDone()) {
            committed.addAll(batch);
          } else {
            batch.forEach(Pending::wake);
          }
          batch.clear();
        }
      } catch (RuntimeException | Error e) {
        committed.addAll(batch);
        throw e;
      } finally {
        writing.set(false);
        places.release();
        committed.forEach(Pending::wake);
        committed.clear();
        // Only a caller that left a place wakes the next: one that found none free waits for the
        // holder, who does (else the waiting callers would wake each other round and round).
        Pending<?> next = queue.peek();
        if (next != null) {
          next.wake();
        }
      }
    }
  }

  /** Commits what is queued and wakes its callers; the caller holds every writer's place. */
  private void drain() {
    List<Pending<?>> batch = new ArrayList<>();
    while (queue.drainTo(batch, MAX_BATCH) > 0) {
      try {
        commit(batch);
      } finally {
        batch.forEach(Pending::wake);
      }
      batch.clear();
    }
  }

  /** Commits {@code batch} and completes its works' answers; wakes none of their callers. */
  private void commit(List<Pending<?>> batch) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        Object[] results = new Object[batch.size()];
        try {
          Connection works = dialect == Dialect.SQLITE ? statements.view(c) : c;
          for (int i = 0; i < batch.size(); i++) {
            results[i] = batch.get(i).work.on(works);
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          statements.forget(c);
          if (batch.size() == 1) {
            batch.get(0).fail(e);
          } else {
            // One work failed (or the commit): each alone, so that only the failing ones fail.
            for (Pending<?> p : batch) {
              commitAlone(c, p);
            }
          }
          return;
        } catch (Error e) {
          rollback(c, e);
          statements.forget(c);
          throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).succeed(results[i]);
        }
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException | Error e) {
      // No connection, or it broke outside a work: every work still waiting fails with it
      // (completing one that succeeded already changes nothing).
      for (Pending<?> p : batch) {
        p.fail(e);
      }
    }
  }

  /** One work in a transaction of its own, on {@code c} (not in auto-commit mode). */
  private static void commitAlone(Connection c, Pending<?> p) {
    try {
      Object result = p.work.on(c);
      c.commit();
      p.succeed(result);
    } catch (SQLException | RuntimeException e) {
      rollback(c, e);
      p.fail(e);
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  OrchestraException failure(String what, SQLException e) {
    return new OrchestraException(
        "cannot "
            + what
            + " in the database "
            + where
            + ": "
            + e.getMessage()
            + (e.getSQLState() == null ? "" : " (SQL state " + e.getSQLState() + ")")
            + "; check that the database runs and has space",
        e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** Refuses new transactions, waits for the batches committing now and closes the connections. */
  @Override
  public void close() {
    synchronized (queue) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // The works queued before: committed by the holders of the places, or here.
    places.acquireUninterruptibly(writerCount);
    try {
      drain();
    } finally {
      places.release(writerCount);
      pool.close();
    }
  }
}
