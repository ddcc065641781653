package dev.orchestra.cli.run;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The run view for logs and pipes: one line per event, {@code 12:00:01 build started (attempt 1)},
 * agent output prefixed by the node id, and a summary at the end. Thread-safe.
 */
public final class LineView implements RunView {
  /** Lines of a failed check's output shown under its verdict; the records hold all of it. */
  private static final int CHECK_LINES = 10;

  private final PrintWriter out;
  private final int idWidth;
  private final DecisionHint decide;

  /** A view printing to {@code out}, aligning node ids to {@code idWidth}. */
  public LineView(PrintWriter out, int idWidth) {
    this(out, idWidth, DecisionHint.DEFAULT);
  }

  /**
   * Like {@link #LineView(PrintWriter, int)}, naming waiting nodes' commands with {@code decide}.
   */
  public LineView(PrintWriter out, int idWidth, DecisionHint decide) {
    this.out = out;
    this.idWidth = idWidth;
    this.decide = decide;
  }

  @Override
  public synchronized void onEvent(RecordedEvent recorded) {
    Event event = recorded.event();
    String time = Formats.clock(recorded.time());
    if (event instanceof Event.NodeOutput e) {
      if (e.text() != null) {
        String prefix = Formats.pad(e.node(), idWidth) + " | ";
        for (String line : e.text().split("\n", -1)) {
          out.println(prefix + line);
        }
      }
    } else if (event instanceof Event.RunStarted e) {
      out.printf(
          "%s run %s %s: workflow %s%n",
          time, recorded.run(), e.resumed() ? "resumed" : "started", e.workflow());
    } else if (event instanceof Event.RunFinished e) {
      out.printf(
          "%s run %s %s%s%n",
          time, recorded.run(), e.status().wireName(), e.reason() == null ? "" : ": " + e.reason());
    } else {
      out.println(time + " " + Formats.pad(event.node(), idWidth) + "  " + describe(event));
      String indent = " ".repeat(9 + idWidth + 2);
      if (event instanceof Event.CheckFinished e && !e.passed() && e.output() != null) {
        String[] lines = e.output().strip().split("\n");
        for (int i = Math.max(0, lines.length - CHECK_LINES); i < lines.length; i++) {
          out.println(indent + "> " + lines[i]);
        }
      } else if (event instanceof Event.NodeWaitingApproval e) {
        out.println(indent + "approve: " + decide.approve(recorded.run(), e.node()));
        out.println(indent + "reject:  " + decide.reject(recorded.run(), e.node()));
      }
    }
    out.flush();
  }

  private static String describe(Event event) {
    if (event instanceof Event.NodeStarted e) {
      return "started (attempt " + e.attempt() + ")";
    } else if (event instanceof Event.NodeChecking e) {
      return "checking (attempt " + e.attempt() + ")";
    } else if (event instanceof Event.CheckFinished e) {
      return "check '" + e.check() + "' " + (e.passed() ? "passed" : "failed");
    } else if (event instanceof Event.NodeRetrying e) {
      return "retrying as attempt "
          + e.attempt()
          + " in "
          + Formats.duration(e.delayMs())
          + ": "
          + oneLine(e.reason());
    } else if (event instanceof Event.NodeRateLimited e) {
      return "rate limited, attempt "
          + e.attempt()
          + " again in "
          + Formats.duration(e.delayMs())
          + ": "
          + oneLine(e.reason());
    } else if (event instanceof Event.NodeWaitingApproval e) {
      return "waiting for approval: "
          + oneLine(e.message())
          + " (approvers: "
          + DecisionHint.approvers(e.approvers())
          + ")";
    } else if (event instanceof Event.NodeApproved e) {
      return "approved by " + e.by() + (e.comment() == null ? "" : ": " + oneLine(e.comment()));
    } else if (event instanceof Event.NodeRejected e) {
      return "rejected by " + e.by() + (e.comment() == null ? "" : ": " + oneLine(e.comment()));
    } else if (event instanceof Event.NodeFinished e) {
      String text =
          e.status().wireName()
              + " in "
              + Formats.duration(e.durationMs())
              + " ("
              + e.attempts()
              + (e.attempts() == 1 ? " attempt)" : " attempts)");
      return e.status() == NodeStatus.SUCCEEDED || e.reason() == null
          ? text
          : text + ": " + oneLine(e.reason());
    }
    return event.type();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replace('\n', ' ');
  }

  @Override
  public synchronized void finish(RunResult result, Path records) {
    SummaryTable.print(result, records, out);
  }

  @Override
  public synchronized void interrupted(String runId) {
    out.println("interrupted; continue the run with: orchestra resume " + runId);
    out.flush();
  }
}
