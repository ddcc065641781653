package dev.orchestra.store.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.orchestra.OrchestraException;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * A pool of connections to the store's database (HikariCP), migrated to the current schema with
 * Flyway when opened, and the two ways the store uses it: a read and a transaction. Thread-safe.
 */
final class Database implements AutoCloseable {
  /** Where the migrations are on the class path; one set serves both dialects. */
  static final String MIGRATIONS = "classpath:dev/orchestra/store/sql/migration";

  /** The table in which Flyway records the migrations it applied. */
  static final String HISTORY = "orchestra_schema_history";

  /** Work on a connection. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  private final HikariDataSource pool;
  private final Dialect dialect;
  private final String where;

  private Database(HikariDataSource pool, Dialect dialect, String where) {
    this.pool = pool;
    this.dialect = dialect;
    this.where = where;
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
    return new Database(pool, options.dialect(), options.describe());
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
   * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws.
   */
  <T> T transaction(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.on(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static void rollback(Connection c, Exception cause) {
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

  @Override
  public void close() {
    pool.close();
  }
}
