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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pool of connections to the store's database (HikariCP), migrated to the current schema with
 * Flyway when opened, and the two ways the store uses it: a read and a transaction. Thread-safe.
 *
 * <p><b>Group commit.</b> Every {@link #transaction} of this process goes to a writer thread (one
 * for SQLite, up to four for PostgreSQL), which runs the works queued meanwhile (at most {@value
 * #MAX_BATCH}) in one database transaction and commits it once; each caller returns when the commit
 * holding its work is done, so a returned transaction is exactly as durable as before, and a work's
 * failure is its caller's alone (the batch is rolled back and its works run again one transaction
 * each). Nothing waits to fill a batch: when one work is queued it commits alone at once; under
 * load, works queue while the previous batch commits, so concurrent runs share commits (one {@code
 * fsync} of PostgreSQL's log for many events) and this process never waits on SQLite's lock for
 * itself (its busy timeout is only for other processes). Works must not call back into this
 * database.
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

  /** A work waiting for the writer, and its caller's answer. */
  private static final class Pending<T> {
    final Work<T> work;
    final CompletableFuture<T> done = new CompletableFuture<>();

    Pending(Work<T> work) {
      this.work = work;
    }

    @SuppressWarnings("unchecked")
    void complete(Object result) {
      done.complete((T) result);
    }
  }

  private static final Pending<Void> STOP = new Pending<>(c -> null);

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String where;
  private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private boolean closed;

  private Database(HikariDataSource pool, Dialect dialect, String where, int writerCount) {
    this.pool = pool;
    this.dialect = dialect;
    this.where = where;
    for (int i = 1; i <= writerCount; i++) {
      Thread writer = new Thread(this::write, "orchestra-db-writer-" + i);
      writer.setDaemon(true);
      writers.add(writer);
    }
    writers.forEach(Thread::start);
  }

  /**
   * How many writer threads: one for SQLite, which has one writer at a time anyway; for PostgreSQL,
   * whose transactions run side by side, up to 4 (half the pool), so that one batch's round trips
   * to the server do not hold up the next.
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
    if (writers.contains(Thread.currentThread())) {
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

  /** The writer thread: batches of queued works, one transaction each, until {@link #close}. */
  private void write() {
    List<Pending<?>> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // Only close stops the writer; an interrupt from elsewhere is not a reason to.
        continue;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      int stops = batch.size();
      batch.removeIf(p -> p == STOP);
      stops -= batch.size();
      // One STOP per writer: the ones this writer took beyond its own go back for the others.
      for (int i = 1; i < stops; i++) {
        queue.add(STOP);
      }
      stopping = stops > 0;
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
    }
  }

  private void commit(List<Pending<?>> batch) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        Object[] results = new Object[batch.size()];
        try {
          for (int i = 0; i < batch.size(); i++) {
            results[i] = batch.get(i).work.on(c);
          }
          c.commit();
        } catch (SQLException | RuntimeException e) {
          rollback(c, e);
          if (batch.size() == 1) {
            batch.get(0).done.completeExceptionally(e);
          } else {
            // One work failed (or the commit): each alone, so that only the failing ones fail.
            for (Pending<?> p : batch) {
              commitAlone(c, p);
            }
          }
          return;
        } catch (Error e) {
          rollback(c, e);
          throw e;
        }
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).complete(results[i]);
        }
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException | Error e) {
      // No connection, or it broke outside a work: every work still waiting fails with it
      // (completing one that succeeded already changes nothing).
      for (Pending<?> p : batch) {
        p.done.completeExceptionally(e);
      }
    }
  }

  /** One work in a transaction of its own, on {@code c} (not in auto-commit mode). */
  private static void commitAlone(Connection c, Pending<?> p) {
    try {
      Object result = p.work.on(c);
      c.commit();
      p.complete(result);
    } catch (SQLException | RuntimeException e) {
      rollback(c, e);
      p.done.completeExceptionally(e);
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

  /** Commits the works queued so far, stops the writer and closes the connections. */
  @Override
  public void close() {
    synchronized (queue) {
      if (closed) {
        return;
      }
      closed = true;
      writers.forEach(w -> queue.add(STOP));
    }
    try {
      for (Thread w : writers) {
        w.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.close();
    }
  }
}
