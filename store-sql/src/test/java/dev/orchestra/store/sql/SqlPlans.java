package dev.orchestra.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The SQL stores' tests rewrite a run's {@code run_plan} behind the store's back with this. */
final class SqlPlans {
  private SqlPlans() {}

  /** Sets the run's {@code run_plan} to {@code json}, failing when there is no such run. */
  static void set(Connection c, String runId, String json) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE runs SET run_plan = ? WHERE id = ?")) {
      s.setString(1, json);
      s.setString(2, runId);
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("no run " + runId + " to set the plan of");
      }
    }
  }
}
