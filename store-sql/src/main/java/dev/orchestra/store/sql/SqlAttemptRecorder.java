package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecorder;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;

/**
 * Records one attempt: its row, check results, usage, named outputs and process groups in the
 * database, its prompt, logs and output as blob files ({@link BlobFiles}). Log lines are buffered
 * and flushed on {@link #close()}; the same lines are in the run's events, which are committed one
 * by one. A process group's row is committed before {@link #process} returns, so a resume after a
 * crash can end it.
 */
final class SqlAttemptRecorder implements AttemptRecorder {
  private final Database db;
  private final String runId;
  private final String node;
  private final int attempt;
  private final Path dir;
  private BufferedOutputStream stdout;
  private BufferedOutputStream stderr;
  private int processes;
  private boolean closed;

  SqlAttemptRecorder(Database db, BlobFiles blobs, String runId, String node, int attempt) {
    this.db = db;
    this.runId = runId;
    this.node = node;
    this.attempt = attempt;
    String relative = BlobFiles.relative(runId, node, attempt);
    this.dir = blobs.create(relative);
    this.processes =
        db.transaction(
            "record attempt " + attempt + " of node " + node + " of run " + runId,
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "INSERT INTO attempts (run_id, node, attempt, blob_dir) VALUES (?, ?, ?, ?)"
                          + " ON CONFLICT (run_id, node, attempt) DO NOTHING")) {
                s.setString(1, runId);
                s.setString(2, node);
                s.setInt(3, attempt);
                s.setString(4, relative);
                s.executeUpdate();
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT COUNT(*) FROM processes WHERE run_id = ? AND node = ? AND attempt = ?")) {
                key(s, 1);
                try (ResultSet r = s.executeQuery()) {
                  r.next();
                  return r.getInt(1);
                }
              }
            });
  }

  private void key(PreparedStatement s, int at) throws java.sql.SQLException {
    s.setString(at, runId);
    s.setString(at + 1, node);
    s.setInt(at + 2, attempt);
  }

  private String what(String part) {
    return "record the "
        + part
        + " of attempt "
        + attempt
        + " of node "
        + node
        + " of run "
        + runId;
  }

  @Override
  public Path directory() {
    return dir;
  }

  @Override
  public void prompt(String prompt) {
    BlobFiles.write(dir.resolve(BlobFiles.PROMPT), prompt);
  }

  @Override
  public synchronized void line(OutputStream stream, String line) {
    if (closed) {
      return;
    }
    Path file = dir.resolve(stream == OutputStream.STDERR ? BlobFiles.STDERR : BlobFiles.STDOUT);
    try {
      BufferedOutputStream out;
      if (stream == OutputStream.STDERR) {
        out = stderr == null ? (stderr = open(file)) : stderr;
      } else {
        out = stdout == null ? (stdout = open(file)) : stdout;
      }
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e + "; check free space and permissions", e);
    }
  }

  private static BufferedOutputStream open(Path file) throws IOException {
    return new BufferedOutputStream(new FileOutputStream(file.toFile(), true));
  }

  @Override
  public void check(int index, CheckResult result) {
    db.transaction(
        what("check " + index),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO checks (run_id, node, attempt, idx, name, passed, output)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, node, attempt, idx)"
                      + " DO UPDATE SET name = excluded.name, passed = excluded.passed,"
                      + " output = excluded.output")) {
            key(s, 1);
            s.setInt(4, index);
            s.setString(5, result.check());
            s.setBoolean(6, result.passed());
            s.setString(7, result.output());
            return s.executeUpdate();
          }
        });
  }

  @Override
  public void output(String output) {
    // As the file store: an empty output is no output.
    if (output != null && !output.isEmpty()) {
      BlobFiles.write(dir.resolve(BlobFiles.OUTPUT), output);
    }
  }

  @Override
  public void usage(Usage usage) {
    db.transaction(
        what("usage"),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE attempts SET input_tokens = ?, output_tokens = ?, cost_usd = ?,"
                      + " cost_estimated = ? WHERE run_id = ? AND node = ? AND attempt = ?")) {
            Rows.setUsage(s, 1, usage);
            key(s, 5);
            return s.executeUpdate();
          }
        });
  }

  @Override
  public void outputs(Map<String, String> outputs) {
    db.transaction(
        what("named outputs"),
        c -> {
          OutputRows.write(c, runId, node, attempt, outputs);
          return null;
        });
  }

  @Override
  public synchronized void process(ProcessGroup group) {
    int ord = ++processes;
    db.transaction(
        what("process group " + group.id()),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO processes (run_id, node, attempt, ord, pgid, started_ns, tag, pipes)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            key(s, 1);
            s.setInt(4, ord);
            s.setLong(5, group.id());
            s.setLong(6, Rows.nanos(group.started()));
            s.setString(7, group.tag());
            s.setString(8, group.pipes().isEmpty() ? null : String.join(" ", group.pipes()));
            return s.executeUpdate();
          }
        });
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (stdout != null) {
        stdout.close();
      }
      if (stderr != null) {
        stderr.close();
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot close the logs in " + dir + ": " + e, e);
    }
  }
}
