package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.Branch;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A run's result as rows: the run's result columns, a {@code nodes} row per node, its outputs. */
final class ResultRows {
  private ResultRows() {}

  /**
   * Writes {@code result}, replacing any earlier one, while {@code owner} holds the run; the run
   * lists with its status from now on (a result without a {@code run_finished} before it too).
   */
  static void write(Connection c, RunResult result, String owner) throws SQLException {
    String run = result.runId();
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE runs SET status = ?, reason = ?, finished_ns = ?, input_tokens = ?,"
                + " output_tokens = ?, cost_usd = ?, cost_estimated = ?, branch_name = ?,"
                + " branch_commit = ?, checkout = ?, ended_status = ?"
                + " WHERE id = ? AND lease_owner = ?")) {
      s.setString(1, result.status().wireName());
      s.setString(2, result.reason());
      s.setLong(3, Rows.nanos(result.finished()));
      Rows.setUsage(s, 4, result.usage());
      s.setString(8, result.branch() == null ? null : result.branch().name());
      s.setString(9, result.branch() == null ? null : result.branch().commit());
      s.setString(10, result.checkout());
      s.setString(11, result.status().wireName());
      s.setString(12, run);
      s.setString(13, owner);
      if (s.executeUpdate() != 1) {
        throw new OrchestraException(
            "run " + run + ": its result was not recorded: this process no longer holds the run");
      }
    }
    for (String table : new String[] {"nodes", "outputs"}) {
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM "
                  + table
                  + " WHERE run_id = ?"
                  + (table.equals("outputs") ? " AND attempt = 0" : ""))) {
        s.setString(1, run);
        s.executeUpdate();
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO nodes (run_id, node, ord, status, attempts, duration_ms, input_tokens,"
                + " output_tokens, cost_usd, cost_estimated, output, reason, branch_name,"
                + " branch_commit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int ord = 0;
      for (NodeResult n : result.nodes().values()) {
        s.setString(1, run);
        s.setString(2, n.node());
        s.setInt(3, ord++);
        s.setString(4, n.status().wireName());
        s.setInt(5, n.attempts());
        s.setLong(6, n.durationMs());
        Rows.setUsage(s, 7, n.usage());
        s.setString(11, n.output());
        s.setString(12, n.reason());
        s.setString(13, n.branch() == null ? null : n.branch().name());
        s.setString(14, n.branch() == null ? null : n.branch().commit());
        s.addBatch();
      }
      s.executeBatch();
    }
    for (NodeResult n : result.nodes().values()) {
      OutputRows.write(c, run, n.node(), 0, n.outputs());
    }
  }

  /** The run's result, or empty when it has none. */
  static Optional<RunResult> read(Connection c, String run) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM runs WHERE id = ?")) {
      s.setString(1, run);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next() || r.getString("status") == null) {
          return Optional.empty();
        }
        Map<String, NodeResult> nodes = nodes(c, run);
        Usage usage = Rows.usage(r);
        return Optional.of(
            new RunResult(
                run,
                r.getString("workflow"),
                RunStatus.fromWire(r.getString("status")),
                r.getString("reason"),
                Rows.instant(r.getLong("started_ns")),
                Rows.instant(r.getLong("finished_ns")),
                usage,
                nodes,
                branch(r),
                r.getString("checkout")));
      }
    }
  }

  private static Map<String, NodeResult> nodes(Connection c, String run) throws SQLException {
    Map<String, Map<String, String>> outputs = OutputRows.read(c, run, null, 0);
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement("SELECT * FROM nodes WHERE run_id = ? ORDER BY ord")) {
      s.setString(1, run);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String node = r.getString("node");
          nodes.put(
              node,
              new NodeResult(
                  node,
                  NodeStatus.fromWire(r.getString("status")),
                  r.getInt("attempts"),
                  r.getLong("duration_ms"),
                  Rows.usage(r),
                  r.getString("output"),
                  r.getString("reason"),
                  outputs.getOrDefault(node, Map.of()),
                  branch(r)));
        }
      }
    }
    return nodes;
  }

  private static Branch branch(ResultSet r) throws SQLException {
    String name = r.getString("branch_name");
    return name == null ? null : new Branch(name, r.getString("branch_commit"));
  }
}
