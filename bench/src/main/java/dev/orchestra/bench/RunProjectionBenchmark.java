package dev.orchestra.bench;

import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.state.PlannedNode;
import dev.orchestra.state.RunProjector;
import dev.orchestra.state.RunState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What folding a run's events into its state costs: the live view folds every event as it arrives,
 * and {@code runs show} and the server fold a run's whole record. {@code events} events over {@code
 * nodes} nodes, most of them output lines (as an agent's run is), with every node started, checked,
 * retried once in ten and finished. {@code fold} folds them all and takes one state; {@code
 * foldAsTheLiveView} takes a state after every status change too, as the live view redraws then.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RunProjectionBenchmark {
  private static final String RUN = "20261201-100000-3fa2";

  @Param("100000")
  public int events;

  @Param({"100", "1000"})
  public int nodes;

  private List<PlannedNode> plan;
  private List<RecordedEvent> recorded;

  @Setup(Level.Trial)
  public void generate() {
    plan = new ArrayList<>(nodes);
    for (int i = 0; i < nodes; i++) {
      plan.add(
          new PlannedNode(
              "node-" + i, i == 0 ? List.of() : List.of("node-" + (i - 1)), "command", 2));
    }
    recorded = events(nodes, events);
  }

  /** A run's events: {@code total} of them, over {@code nodes} nodes. */
  static List<RecordedEvent> events(int nodes, int total) {
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    List<Event> out = new ArrayList<>(total);
    out.add(new Event.RunStarted("bench", Map.of("topic", "x"), false));
    int lifecycle = 4; // started, checking, check_finished, finished
    int outputs = Math.max(0, (total - 2) / nodes - lifecycle);
    Usage u = new Usage(1200, 340, new BigDecimal("0.0123"));
    for (int i = 0; i < nodes; i++) {
      String id = "node-" + i;
      out.add(new Event.NodeStarted(id, 1));
      for (int k = 0; k < outputs; k++) {
        if (k == outputs / 2 && i % 10 == 0) {
          out.add(new Event.NodeRetrying(id, 2, 1000, "check 'run: make test' failed"));
          out.add(new Event.NodeStarted(id, 2));
          k += 2;
          continue;
        }
        out.add(new Event.NodeOutput(id, "stdout", id + ": compiling module " + k + " of many\n"));
      }
      out.add(new Event.NodeChecking(id, 1));
      out.add(new Event.CheckFinished(id, "run: make test", true, "ok"));
      out.add(new Event.NodeFinished(id, NodeStatus.SUCCEEDED, 1, 1500, null, u, "done"));
    }
    while (out.size() < total - 1) {
      out.add(new Event.NodeOutput("node-0", "stderr", "late line\n"));
    }
    out.add(new Event.RunFinished(RunStatus.SUCCEEDED, u, null));
    List<RecordedEvent> recorded = new ArrayList<>(out.size());
    for (int i = 0; i < out.size(); i++) {
      recorded.add(new RecordedEvent(i + 1, t0.plusMillis(i), RUN, out.get(i)));
    }
    return recorded;
  }

  @Benchmark
  public RunState fold() {
    RunProjector p = RunProjector.of(RUN, plan);
    for (RecordedEvent e : recorded) {
      p.apply(e);
    }
    return p.state();
  }

  @Benchmark
  public RunState foldAsTheLiveView() {
    RunProjector p = RunProjector.of(RUN, plan);
    RunState last = null;
    for (RecordedEvent e : recorded) {
      if (p.apply(e)) {
        last = p.state();
      }
    }
    return last == null ? p.state() : last;
  }
}
