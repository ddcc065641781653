package dev.orchestra.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named outputs as rows of {@code outputs}: a node result's (attempt 0) and each attempt's. */
final class OutputRows {
  private OutputRows() {}

  /** Replaces the outputs of {@code node}'s {@code attempt} with {@code outputs}. */
  static void write(Connection c, String run, String node, int attempt, Map<String, String> outputs)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM outputs WHERE run_id = ? AND node = ? AND attempt = ?")) {
      s.setString(1, run);
      s.setString(2, node);
      s.setInt(3, attempt);
      s.executeUpdate();
    }
    if (outputs.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO outputs (run_id, node, attempt, ord, name, value) VALUES (?, ?, ?, ?, ?, ?)")) {
      int ord = 0;
      for (Map.Entry<String, String> e : outputs.entrySet()) {
        s.setString(1, run);
        s.setString(2, node);
        s.setInt(3, attempt);
        s.setInt(4, ord++);
        s.setString(5, e.getKey());
        s.setString(6, e.getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /**
   * The outputs of {@code attempt} of {@code node} ({@code null}: of every node), by node, each in
   * the order written.
   */
  static Map<String, Map<String, String>> read(Connection c, String run, String node, int attempt)
      throws SQLException {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT node, name, value FROM outputs WHERE run_id = ? AND attempt = ?"
                + (node == null ? "" : " AND node = ?")
                + " ORDER BY node, ord")) {
      s.setString(1, run);
      s.setInt(2, attempt);
      if (node != null) {
        s.setString(3, node);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          all.computeIfAbsent(r.getString(1), n -> new LinkedHashMap<>())
              .put(r.getString(2), r.getString(3));
        }
      }
    }
    return all;
  }
}
