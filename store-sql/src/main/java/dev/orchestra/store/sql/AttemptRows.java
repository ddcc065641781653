package dev.orchestra.store.sql;

import dev.orchestra.check.CheckResult;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the records of a node's attempts: rows, and the blob files they name. */
final class AttemptRows {
  private AttemptRows() {}

  static List<AttemptRecord> read(Connection c, BlobFiles blobs, String run, String node)
      throws SQLException {
    List<AttemptRecord> records = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM attempts WHERE run_id = ? AND node = ? ORDER BY attempt")) {
      s.setString(1, run);
      s.setString(2, node);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          int attempt = r.getInt("attempt");
          Path dir = blobs.resolve(r.getString("blob_dir"));
          records.add(
              new AttemptRecord(
                  node,
                  attempt,
                  BlobFiles.read(dir.resolve(BlobFiles.PROMPT)),
                  BlobFiles.read(dir.resolve(BlobFiles.STDOUT)),
                  BlobFiles.read(dir.resolve(BlobFiles.STDERR)),
                  checks(c, run, node, attempt),
                  BlobFiles.read(dir.resolve(BlobFiles.OUTPUT)),
                  OutputRows.read(c, run, node, attempt).getOrDefault(node, Map.of()),
                  processes(c, run, node, attempt),
                  Rows.usage(r)));
        }
      }
    }
    return records;
  }

  private static List<CheckResult> checks(Connection c, String run, String node, int attempt)
      throws SQLException {
    return rows(
        c,
        "SELECT name, passed, output FROM checks WHERE run_id = ? AND node = ? AND attempt = ?"
            + " ORDER BY idx",
        run,
        node,
        attempt,
        r -> new CheckResult(r.getString(1), r.getBoolean(2), r.getString(3)));
  }

  private static List<ProcessGroup> processes(Connection c, String run, String node, int attempt)
      throws SQLException {
    return rows(
        c,
        "SELECT pgid, started_ns, tag, pipes FROM processes WHERE run_id = ? AND node = ?"
            + " AND attempt = ? ORDER BY ord",
        run,
        node,
        attempt,
        r -> {
          String pipes = r.getString(4);
          return new ProcessGroup(
              r.getLong(1),
              Rows.instant(r.getLong(2)),
              r.getString(3),
              pipes == null ? List.of() : List.of(pipes.split(" ")));
        });
  }

  /** One row of a result, as a value. */
  private interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  /**
   * The rows {@code sql} selects for one attempt ({@code run_id}, {@code node}, {@code attempt}).
   */
  private static <T> List<T> rows(
      Connection c, String sql, String run, String node, int attempt, Row<T> row)
      throws SQLException {
    List<T> values = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, run);
      s.setString(2, node);
      s.setInt(3, attempt);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          values.add(row.read(r));
        }
      }
    }
    return values;
  }
}
