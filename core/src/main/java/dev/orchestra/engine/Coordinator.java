package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.parse.Durations;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one run: it launches nodes on the worker pool as slots free up ({@link
 * ReadyQueue}), carries each node's end through the graph ({@link Propagation}: skips, composed
 * nodes, approval gates), takes up decisions on gates as they are recorded (by this process through
 * {@link #decide}, by others through the store's {@link dev.orchestra.store.RunStore#watchDecisions
 * watch}), holds the run's spending against its budgets ({@link Spending}), stops the run (cancel,
 * run timeout, run budget) and takes its end ({@link RunEnd}).
 *
 * <p><b>Locking.</b> Every change of the run's state happens under this object's lock: the fields
 * here, the {@link ReadyQueue}, {@link Propagation} and {@link Spending}, and the run-time state of
 * every {@link GraphNode} (see its locking rule). The lock is held briefly, by whichever thread
 * reports something (a node's runner when its node ends or its agent reports usage, the timer of
 * the run's timeout, a caller's cancel or decision, the store's decision watch): work under it is
 * O(1) per event and O(nodes + edges) per run, plus recording the events of the change ({@link
 * EventLog#emit}: one {@code write(2)} each, so that the records' order is the state's). No process
 * runs, no network is used and no record is made durable under it: the runners do their work on
 * their own threads, and the end of the run ({@link RunEnd#finish}: the git hand-over and push, the
 * result made durable) runs after the lock is released, on the thread whose report ended the run.
 * Locks taken while this one is held: a node's {@link NodeControl} (which never calls back) and the
 * event log (then the store); listeners run outside all of them.
 */
final class Coordinator implements NodeSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final RunContext run;
  private final Session session;
  private final ReadyQueue ready;
  private final Spending spending;
  private final Set<GraphNode> active = new LinkedHashSet<>();
  private final Propagation propagation;
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private boolean settling;
  private boolean ended;
  private StopRequest stop;
  private ScheduledFuture<?> runTimeout;
  private boolean started;

  /** The store's watch for decisions on the gated nodes, or {@code null} when none waits. */
  private DecisionWatch decisions;

  /** The end of the run, once taken, until the thread that took it leaves the lock. */
  private RunEnd end;

  Coordinator(RunContext run, Integer concurrencyOverride, boolean resumed) {
    this(
        run,
        concurrencyOverride,
        Session.run(resumed, run.graph().root.workflow.limits().timeout()));
  }

  Coordinator(RunContext run, Integer concurrencyOverride, Session session) {
    this.run = run;
    this.session = session;
    var limits = run.graph().root.workflow.limits();
    Integer limit = concurrencyOverride != null ? concurrencyOverride : limits.concurrency();
    this.ready =
        new ReadyQueue(
            limit != null ? limit : Runtime.getRuntime().availableProcessors(), limits.agents());
    this.spending = new Spending(limits.budget(), session.spent());
    this.propagation = new Propagation(run, ready, () -> stop);
    // Not on the failing thread: it may hold the event log's lock, which this lock's holders take.
    run.recorder()
        .onFailure(
            e -> run.services().workers().execute(() -> stop(StopRequest.records(e.getMessage()))));
  }

  @Override
  public RunContext run() {
    return run;
  }

  String runId() {
    return run.runId();
  }

  CompletableFuture<RunResult> result() {
    return result;
  }

  /**
   * Emits {@code run_started} and starts the nodes that are ready. When nodes have approval gates,
   * first watches the store for decisions on them, then reads those already recorded (a resumed
   * run, a Jenkins stage that approved before), in that order so that none is missed.
   */
  void start() {
    List<String> gated =
        run.graph().nodes.stream()
            .filter(n -> n.spec.isGated() && !n.preserved)
            .map(n -> n.id)
            .toList();
    Map<String, Decision> known = Map.of();
    if (!gated.isEmpty()) {
      decisions = run.store().watchDecisions(runId(), gated, this::decisionRecorded);
      try {
        known = run.store().decisions(runId());
      } catch (RuntimeException e) {
        decisions.close();
        throw e;
      }
    }
    Map<String, Decision> recorded = known;
    change(
        () -> {
          recorded.forEach(
              (id, d) -> {
                GraphNode n = run.graph().byId.get(id);
                if (n != null) {
                  propagation.decided(n, d);
                }
              });
          startLocked();
        });
  }

  /**
   * Records a person's decision on {@code nodeId}'s gate through the store and takes it up; see
   * {@link DecisionRules} for what is refused. Blocks for the store's write, not under the lock.
   */
  DecisionOutcome decide(String nodeId, Decision given) {
    Decision proposed = DecisionRules.masked(given, run.masker());
    GraphNode n;
    NodeStatus status;
    synchronized (this) {
      n = run.graph().byId.get(nodeId);
      Optional<DecisionOutcome> early =
          DecisionRules.check(
              run.graph(), runId(), nodeId, n, n == null ? null : n.decision, proposed);
      if (early.isPresent()) {
        return early.get();
      }
      status = n.status;
    }
    Decision onRecord = run.store().decide(runId(), nodeId, proposed);
    take(n, onRecord);
    return DecisionRules.settle(proposed, onRecord, nodeId, status);
  }

  /** The store's watch found a decision on {@code nodeId}, perhaps from another process. */
  private void decisionRecorded(String nodeId) {
    GraphNode n = run.graph().byId.get(nodeId);
    Decision d;
    try {
      d = run.store().decisions(runId()).get(nodeId);
    } catch (OrchestraException e) {
      // The node keeps waiting; the person sees no change and can look at the records.
      LOG.warn("run {}: cannot read the decision on node {}: {}", runId(), nodeId, e.getMessage());
      return;
    }
    if (n != null && d != null) {
      take(n, d);
    }
  }

  private void take(GraphNode n, Decision d) {
    change(
        () -> {
          if (!ended && stop == null && n.decision == null) {
            LOG.info("run {}: node {} {} by {}", runId(), n.id, d.verb(), d.by());
            propagation.decided(n, d);
            if (started) {
              drain();
            }
          }
        });
  }

  /**
   * Holds back the nodes of {@code n}'s agent that are ready but not started while {@code n} waits
   * {@code delayMs} for the provider's rate limit to reset: they would only hit the same limit.
   * They stay {@code pending}; nodes of other agents go on. The hold ends with {@link #release} or
   * when {@code n} ends.
   */
  @Override
  public synchronized void holdBack(GraphNode n, long delayMs) {
    if (ready.hold(n)) {
      LOG.info(
          "run {}: node {} waits {} ms for agent '{}' to be allowed again; its other nodes wait"
              + " too ({} ready now)",
          runId(),
          n.id,
          delayMs,
          n.agent(),
          ready.waiting(n.agent()));
    }
  }

  /** Ends {@code n}'s {@link #holdBack}; its agent's nodes start once no node of it waits. */
  @Override
  public void release(GraphNode n) {
    change(
        () -> {
          if (ready.release(n)) {
            drain();
          }
        });
  }

  /** Called by a node's runner, once, when the node has ended. */
  @Override
  public void nodeFinished(GraphNode n, NodeOutcome outcome) {
    change(
        () -> {
          ready.ended(n);
          active.remove(n);
          n.status = outcome.status();
          n.reason = outcome.reason();
          n.output = outcome.output();
          n.outputs = outcome.outputs();
          n.attempt = outcome.attempt();
          n.durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - n.startNanos);
          LOG.info(
              "run {}: node {} {}{}",
              runId(),
              n.id,
              n.status.wireName(),
              n.reason == null ? "" : " (" + n.reason + ")");
          propagation.ended(n);
          drain();
        });
  }

  /** Stops the run: running nodes are killed, nodes not started end without running. */
  void stop(StopRequest request) {
    change(() -> stopLocked(request));
  }

  /**
   * Records the usage of a node's running attempt so far; a run budget it exceeds stops the run.
   *
   * @return the budget it exceeds (the node's or the run's); the caller stops the node
   */
  @Override
  public Optional<Overrun> attemptUsage(GraphNode n, Usage soFar) {
    return change(() -> overrun(spending.report(n, soFar)));
  }

  /** Adds a finished attempt's usage to its node and the run; answers as {@link #attemptUsage}. */
  @Override
  public Optional<Overrun> commitUsage(GraphNode n, Usage attempt) {
    return change(() -> overrun(spending.commit(n, attempt)));
  }

  private Optional<Overrun> overrun(Optional<Overrun> over) {
    over.filter(Overrun::ofRun).ifPresent(o -> stopLocked(StopRequest.budget(o.reason())));
    return over;
  }

  private void change(Runnable change) {
    change(
        () -> {
          change.run();
          return null;
        });
  }

  /**
   * Applies {@code change} under the lock; when it ended the run, finishes the run after leaving
   * the lock. Every entry point that can end the run goes through here, and nothing under the lock
   * calls one.
   */
  private <T> T change(Supplier<T> change) {
    T answer;
    RunEnd ending;
    DecisionWatch watch;
    synchronized (this) {
      answer = change.get();
      ending = end;
      end = null;
      watch = ending != null ? decisions : null;
    }
    if (ending != null) {
      if (watch != null) {
        watch.close();
      }
      ending.finish();
    }
    return answer;
  }

  private void startLocked() {
    started = true;
    RunGraph graph = run.graph();
    if (session.wholeRun()) {
      boolean resumed = session.resumed();
      run.emit(new Event.RunStarted(graph.root.workflow.name(), run.info().inputs(), resumed));
      LOG.info(
          "run {} {} ({} nodes)", runId(), resumed ? "resumed" : "started", graph.nodes.size());
    } else {
      LOG.info("run {}: running its node {}", runId(), session.node().id);
    }
    var limit = graph.root.workflow.limits().timeout();
    var timeout = session.timeout();
    if (limit != null && timeout != null) {
      runTimeout =
          run.services()
              .scheduler()
              .schedule(
                  () -> stop(StopRequest.timeout(Durations.format(limit))),
                  Math.max(0, timeout.toNanos()),
                  TimeUnit.NANOSECONDS);
    }
    propagation.begin();
    drain();
  }

  /**
   * Settles the nodes that ended ({@link Propagation}), starts what became ready, and takes the
   * run's end once no node is left.
   */
  private void drain() {
    if (settling) {
      return;
    }
    settling = true;
    try {
      propagation.settle();
      dispatch();
    } finally {
      settling = false;
    }
    if (propagation.unfinished() == 0 && !ended) {
      ended = true;
      if (runTimeout != null) {
        runTimeout.cancel(false);
      }
      end =
          session.wholeRun()
              ? RunEnd.of(run, stop, result)
              : RunEnd.ofNode(run, stop, result, session.node());
    }
  }

  private void dispatch() {
    while (stop == null) {
      Optional<GraphNode> next = ready.next();
      if (next.isEmpty()) {
        return;
      }
      launch(next.get());
    }
  }

  private void launch(GraphNode n) {
    n.status = NodeStatus.RUNNING;
    n.startNanos = System.nanoTime();
    n.control = new NodeControl(run.services().workers());
    active.add(n);
    run.services().workers().execute(new NodeRunner(this, n, n.control));
  }

  private void stopLocked(StopRequest request) {
    if (ended || stop != null) {
      return;
    }
    stop = request;
    LOG.info("run {}: stopping: {}", runId(), request.reason());
    for (GraphNode n : new ArrayList<>(active)) {
      n.control.stop(request.runningStatus(), request.reason());
    }
    for (GraphNode n : ready.clear()) {
      propagation.unrun(n, request.pendingStatus(), request.reason());
    }
    for (GraphNode n : propagation.takeWaiting()) {
      propagation.unrun(n, request.pendingStatus(), request.reason());
    }
    drain();
  }
}
