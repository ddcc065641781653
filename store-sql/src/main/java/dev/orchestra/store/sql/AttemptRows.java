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
    List<CheckResult> checks = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT name, passed, output FROM checks WHERE run_id = ? AND node = ? AND attempt = ?"
                + " ORDER BY idx")) {
      s.setString(1, run);
      s.setString(2, node);
      s.setInt(3, attempt);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          checks.add(new CheckResult(r.getString(1), r.getBoolean(2), r.getString(3)));
        }
      }
    }
    return checks;
  }

  private static List<ProcessGroup> processes(Connection c, String run, String node, int attempt)
      throws SQLException {
    List<ProcessGroup> groups = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT pgid, started_ns, tag, pipes FROM processes WHERE run_id = ? AND node = ?"
                + " AND attempt = ? ORDER BY ord")) {
      s.setString(1, run);
      s.setString(2, node);
      s.setInt(3, attempt);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          String pipes = r.getString(4);
          groups.add(
              new ProcessGroup(
                  r.getLong(1),
                  Rows.instant(r.getLong(2)),
                  r.getString(3),
                  pipes == null ? List.of() : List.of(pipes.split(" "))));
        }
      }
    }
    return groups;
  }
}
