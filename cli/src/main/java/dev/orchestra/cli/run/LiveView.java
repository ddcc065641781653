package dev.orchestra.cli.run;

import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.state.NodeState;
import dev.orchestra.state.RunProjector;
import dev.orchestra.state.RunState;
import dev.orchestra.store.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The terminal view: the DAG as one line per node in topological order, indented by depth, redrawn
 * in place with ANSI cursor movement: status symbol in colour, node id, agent, attempt k/n,
 * elapsed, tokens, cost, and the node's last output line cut to the terminal width; below them,
 * each node waiting for approval with its question, who may decide and the commands that decide it.
 * It redraws at once on a status change and otherwise at most ten times a second (so elapsed times
 * tick), then leaves the final picture and the summary table.
 *
 * <p>Thread-safe. Owns one daemon timer thread from {@link #start()} to {@link #finish}.
 */
public final class LiveView implements RunView {
  private static final String RESET = "\033[0m";
  private static final long FRAME_MS = 100;

  /** Waiting nodes whose commands are shown; more are counted. */
  private static final int PENDING_SHOWN = 3;

  private final PrintWriter out;
  private final Clock clock;
  private final int width;
  private final int height;
  private final RunProjector projector;
  private final Map<String, NodeLayout.Row> rows = new HashMap<>();
  private final int idWidth;
  private final ScheduledExecutorService timer;
  private final DecisionHint decide;
  private String runId;
  private int drawnLines;
  private boolean dirty = true;
  private long lastDraw;

  /**
   * A view of {@code layout} on a terminal of {@code width} × {@code height} characters.
   *
   * @param clock the time elapsed columns are measured with
   */
  public LiveView(PrintWriter out, NodeLayout layout, Clock clock, int width, int height) {
    this(out, layout, clock, width, height, DecisionHint.DEFAULT);
  }

  /**
   * Like the other constructor, naming the commands that decide waiting nodes with {@code decide}.
   */
  public LiveView(
      PrintWriter out, NodeLayout layout, Clock clock, int width, int height, DecisionHint decide) {
    this.out = out;
    this.decide = decide;
    this.clock = clock;
    this.width = Math.max(width, 40);
    this.height = Math.max(height, 5);
    for (NodeLayout.Row r : layout.rows()) {
      rows.put(r.id(), r);
    }
    this.projector = RunProjector.of(null, layout.plan());
    this.idWidth = Math.min(layout.idWidth() + 2 * maxDepth(layout), 40);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "orchestra-live-view");
              t.setDaemon(true);
              return t;
            });
  }

  private static int maxDepth(NodeLayout layout) {
    return layout.rows().stream().mapToInt(NodeLayout.Row::depth).max().orElse(0);
  }

  /** Starts the redraw timer. */
  public LiveView start() {
    timer.scheduleWithFixedDelay(this::tick, FRAME_MS, FRAME_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * Takes in the events recorded before this session (a resumed run) without drawing, so that nodes
   * that succeeded earlier show as succeeded rather than pending.
   */
  public synchronized void replay(List<RecordedEvent> earlier) {
    projector.applyAll(earlier);
  }

  @Override
  public synchronized void onEvent(RecordedEvent event) {
    runId = event.run();
    if (projector.apply(event)) {
      draw();
    } else {
      dirty = true;
    }
  }

  private synchronized void tick() {
    boolean running =
        projector.state().nodes().stream()
            .anyMatch(n -> !n.status().isTerminal() && n.started() != null);
    if (dirty || running) {
      draw();
    }
  }

  private void draw() {
    long now = System.nanoTime();
    // Status changes draw at once, except in a burst (many tiny nodes), where the timer catches up.
    if (now - lastDraw < FRAME_MS * 1_000_000 / 2 && drawnLines > 0) {
      dirty = true;
      return;
    }
    lastDraw = now;
    dirty = false;
    List<String> lines = frame();
    StringBuilder b = new StringBuilder();
    if (drawnLines > 0) {
      b.append("\033[").append(drawnLines).append('F');
    }
    for (String line : lines) {
      b.append("\033[2K").append(line).append('\n');
    }
    // Clear what is left of a taller previous frame.
    for (int i = lines.size(); i < drawnLines; i++) {
      b.append("\033[2K\n");
    }
    if (drawnLines > lines.size()) {
      b.append("\033[").append(drawnLines - lines.size()).append('F');
    }
    drawnLines = lines.size();
    out.print(b);
    out.flush();
  }

  /** The lines of one frame: a header, then the nodes that fit on the screen. */
  List<String> frame() {
    Instant now = clock.instant();
    RunState state = projector.state();
    List<NodeState> nodes = state.nodes();
    List<String> lines = new ArrayList<>();
    Map<NodeStatus, Integer> counts = state.counts();
    lines.add(header(state, now));
    List<String> pending = pending(nodes);
    int room = Math.max(height - 2 - pending.size(), 2);
    List<NodeState> shown = nodes;
    if (nodes.size() > room) {
      // Too many for the screen: show the ones with something happening, in order.
      shown = new ArrayList<>();
      for (NodeState n : nodes) {
        if (shown.size() < room - 1 && n.status() != NodeStatus.SUCCEEDED && n.started() != null) {
          shown.add(n);
        }
      }
    }
    for (NodeState n : shown) {
      lines.add(line(n, now));
    }
    if (shown.size() < nodes.size()) {
      lines.add(
          "  … "
              + (nodes.size() - shown.size())
              + " more nodes not shown ("
              + counts.getOrDefault(NodeStatus.SUCCEEDED, 0)
              + " succeeded, "
              + counts.getOrDefault(NodeStatus.PENDING, 0)
              + " pending)");
    }
    lines.addAll(pending);
    return lines;
  }

  /** The nodes waiting for approval: each one's question and the commands that decide it. */
  private List<String> pending(List<NodeState> nodes) {
    List<String> lines = new ArrayList<>();
    int waiting = 0;
    for (NodeState n : nodes) {
      if (!n.waitsForApproval() || n.approval() == null) {
        continue;
      }
      if (++waiting > PENDING_SHOWN) {
        continue;
      }
      lines.add(
          colour(n.status())
              + symbol(n.status())
              + RESET
              + Formats.truncate(
                  " "
                      + n.id()
                      + " waits for approval: "
                      + String.valueOf(n.approval().message()).strip().replace('\n', ' ')
                      + " (approvers: "
                      + DecisionHint.approvers(n.approval().approvers())
                      + ")",
                  width - 2));
      // The commands are not cut: a cut command could not be copied.
      lines.add("    " + decide.approve(runId, n.id()));
      lines.add("    " + decide.reject(runId, n.id()));
    }
    if (waiting > PENDING_SHOWN) {
      lines.add(
          "  … "
              + (waiting - PENDING_SHOWN)
              + " more nodes wait for approval (orchestra runs show "
              + runId
              + ")");
    }
    return lines;
  }

  private static String header(RunState state, Instant now) {
    String elapsed = state.elapsed(now).map(Formats::duration).orElse("-");
    return "\033[1m"
        + state.status().wireName()
        + RESET
        + "  "
        + state.done()
        + "/"
        + state.nodes().size()
        + " nodes done  "
        + elapsed;
  }

  private String line(NodeState n, Instant now) {
    NodeLayout.Row row = rows.get(n.id());
    int depth = row == null ? 1 : row.depth();
    String agent = row == null ? "" : row.agent();
    String plain =
        String.format(
            " %s %-8s %-13s %5s %7s %8s %8s  ",
            Formats.pad("  ".repeat(depth) + n.id(), idWidth),
            Formats.truncate(agent, 8),
            n.status().wireName(),
            n.attempt() == 0
                ? "-"
                : n.maxAttempts() == 0 ? "" + n.attempt() : n.attempt() + "/" + n.maxAttempts(),
            n.elapsed(now).map(Formats::duration).orElse("-"),
            Formats.tokens(n.usage()),
            Formats.cost(n.usage()));
    // A line wider than the terminal would wrap and break the cursor arithmetic.
    plain = Formats.truncate(plain, width - 2);
    String last = Formats.truncate(n.lastLine(), width - plain.length() - 2);
    return colour(n.status()) + symbol(n.status()) + RESET + plain + "\033[2m" + last + RESET;
  }

  static String symbol(NodeStatus s) {
    return switch (s) {
      case PENDING -> "·";
      case RUNNING -> "▶";
      case CHECKING -> "?";
      case RETRYING -> "↻";
      case RATE_LIMITED -> "…";
      case WAITING_APPROVAL -> "‖";
      case SUCCEEDED -> "✓";
      case FAILED, ERROR, TIMED_OUT, BUDGET_EXCEEDED -> "✗";
      case CANCELLED -> "⊘";
      case SKIPPED -> "-";
    };
  }

  private static String colour(NodeStatus s) {
    return switch (s) {
      case SUCCEEDED -> "\033[32m";
      case FAILED, ERROR, TIMED_OUT, BUDGET_EXCEEDED -> "\033[31m";
      case RUNNING, CHECKING -> "\033[36m";
      case RETRYING, RATE_LIMITED, WAITING_APPROVAL, CANCELLED -> "\033[33m";
      case PENDING, SKIPPED -> "\033[2m";
    };
  }

  @Override
  public void finish(RunResult result, Path records) {
    timer.shutdownNow();
    synchronized (this) {
      lastDraw = 0;
      draw();
      SummaryTable.print(result, records, out);
    }
  }

  @Override
  public synchronized void interrupted(String runId) {
    out.println("interrupted; continue the run with: orchestra resume " + runId);
    out.flush();
  }
}
