package dev.orchestra.store.sql;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The prepared statements of the transactions' works, kept per connection of the pool from one
 * transaction to the next (SQLite's driver compiles a statement's text again at each prepare: a
 * quarter of the CPU of the store's commits under {@code bench/server-bench.sh}, where each event's
 * work prepares the same two texts). {@link #view} gives the works a connection whose {@code
 * prepareStatement(sql)} answers the statement kept for that text on that connection, when it is
 * not in use; its {@code close()} clears its parameters and leaves it to the next work instead of
 * closing it. Any other call goes to the pooled connection as it is. At most {@value #MAX_TEXTS}
 * texts are kept per connection (a text built from a varying number of items could otherwise grow
 * it without end); others are prepared each time, as without the cache.
 *
 * <p>The statements are prepared on the pool's physical connection, past the pool's own wrapper,
 * which would close them when the connection goes back to the pool; they close with that connection
 * (the pool retiring it, or {@link Database#close()}). A connection found closed drops its
 * statements; after a failed transaction, {@link #forget} drops them too, so a statement a failure
 * left half run is never used again. Used only by the writer that holds the connection: thread-safe
 * as the pool hands a connection to one thread at a time.
 */
final class StatementCache {
  /** The most texts kept per connection; the works' texts are a few dozen, built ones aside. */
  static final int MAX_TEXTS = 64;

  /** Kept statements, by physical connection. */
  private final Map<Connection, Kept.OnConnection> kept = new IdentityHashMap<>();

  /** A kept statement: the works' handle on it, and whether a work holds it now. */
  private static final class Kept {
    final PreparedStatement statement;
    final PreparedStatement handle;
    boolean inUse;

    Kept(PreparedStatement statement) {
      this.statement = statement;
      this.handle =
          (PreparedStatement)
              Proxy.newProxyInstance(
                  StatementCache.class.getClassLoader(),
                  new Class<?>[] {PreparedStatement.class},
                  this::onStatement);
    }

    /** The statements kept on one physical connection, and the works' view of it. */
    static final class OnConnection {
      final Connection physical;
      final Map<String, Kept> texts = new HashMap<>();
      final Connection view;

      /** The pool's wrapper of {@link #physical} the writer holds now: the view's other calls. */
      volatile Connection pooled;

      OnConnection(Connection physical) {
        this.physical = physical;
        this.view =
            (Connection)
                Proxy.newProxyInstance(
                    StatementCache.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    this::onConnection);
      }

      private Object onConnection(Object proxy, Method m, Object[] args) throws Throwable {
        if (m.getName().equals("prepareStatement")
            && args != null
            && args.length == 1
            && args[0] instanceof String sql) {
          return prepare(sql);
        }
        return switch (m.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> call(pooled, m, args);
        };
      }

      private PreparedStatement prepare(String sql) throws SQLException {
        Kept k = texts.get(sql);
        if (k != null && k.statement.isClosed()) {
          texts.remove(sql);
          k = null;
        }
        if (k == null) {
          if (texts.size() >= MAX_TEXTS) {
            return pooled.prepareStatement(sql);
          }
          k = new Kept(physical.prepareStatement(sql));
          texts.put(sql, k);
        } else if (k.inUse) {
          // The same text twice at once in one work: the second is a statement of its own.
          return pooled.prepareStatement(sql);
        }
        k.inUse = true;
        return k.handle;
      }
    }

    private Object onStatement(Object proxy, Method m, Object[] args) throws Throwable {
      switch (m.getName()) {
        case "close" -> {
          if (inUse) {
            inUse = false;
            statement.clearParameters();
          }
          return null;
        }
        case "isClosed" -> {
          return !inUse || statement.isClosed();
        }
        case "equals" -> {
          return proxy == args[0];
        }
        case "hashCode" -> {
          return System.identityHashCode(proxy);
        }
        default -> {
          return call(statement, m, args);
        }
      }
    }
  }

  /** The works' view of {@code pooled}, a connection of the pool held by the calling writer. */
  Connection view(Connection pooled) throws SQLException {
    Connection physical = pooled.unwrap(Connection.class);
    Kept.OnConnection on;
    synchronized (kept) {
      on = kept.get(physical);
      if (on == null) {
        dropClosed();
        on = new Kept.OnConnection(physical);
        kept.put(physical, on);
      }
    }
    on.pooled = pooled;
    return on.view;
  }

  /** Closes and drops the statements kept on {@code pooled}'s connection. */
  void forget(Connection pooled) {
    Kept.OnConnection on;
    try {
      Connection physical = pooled.unwrap(Connection.class);
      synchronized (kept) {
        on = kept.remove(physical);
      }
    } catch (SQLException e) {
      return; // not a wrapper of a connection: nothing was kept for it
    }
    if (on != null) {
      for (Kept k : on.texts.values()) {
        try {
          k.statement.close();
        } catch (SQLException e) {
          // Closing a statement of a broken connection: nothing more to do with it.
        }
      }
    }
  }

  /** How many statements are kept in all (for tests). */
  int size() {
    synchronized (kept) {
      return kept.values().stream().mapToInt(on -> on.texts.size()).sum();
    }
  }

  /** Drops the statements of connections the pool has closed; the caller holds {@link #kept}. */
  private void dropClosed() {
    for (Iterator<Map.Entry<Connection, Kept.OnConnection>> it = kept.entrySet().iterator();
        it.hasNext(); ) {
      try {
        if (it.next().getKey().isClosed()) {
          it.remove();
        }
      } catch (SQLException e) {
        it.remove();
      }
    }
  }

  private static Object call(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
