package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.event.Usage;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.Budget;
import dev.orchestra.workflow.parse.Durations;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one run: ready-set scheduling under the global and per-agent caps, skip
 * propagation, composed nodes, stop (cancel, run timeout, run budget) and the run's end.
 *
 * <p>All state changes happen under this object's lock, taken briefly by the node threads when a
 * node ends. Work is O(1) per event and O(nodes + edges) per run: a node's dependents are counted
 * down when it ends, and ready nodes wait in one FIFO queue per agent; picking the next node looks
 * at the head of each agent's queue only.
 */
final class Coordinator {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final RunGraph graph;
  private final RunServices services;
  private final RunRecorder recorder;
  private final EventLog log;
  private final RunInfo info;
  private final boolean resumed;
  private final int concurrency;
  private final Map<String, Integer> agentCaps;
  private final Map<String, ArrayDeque<GraphNode>> queues = new LinkedHashMap<>();
  private final Map<String, Integer> runningPerAgent = new HashMap<>();
  private final Set<GraphNode> active = new LinkedHashSet<>();
  private final ArrayDeque<GraphNode> toSettle = new ArrayDeque<>();
  private final Map<GraphNode, Usage> inflight = new HashMap<>();
  private final CompletableFuture<RunResult> result = new CompletableFuture<>();
  private int running;
  private int unfinished;
  private long readyCounter;
  private boolean settling;
  private boolean finished;
  private StopRequest stop;
  private Usage committed = Usage.ZERO;
  private ScheduledFuture<?> runTimeout;

  Coordinator(
      RunGraph graph,
      RunServices services,
      RunRecorder recorder,
      EventLog log,
      RunInfo info,
      Integer concurrencyOverride,
      boolean resumed) {
    this.graph = graph;
    this.services = services;
    this.recorder = recorder;
    this.log = log;
    this.info = info;
    this.resumed = resumed;
    Integer limit =
        concurrencyOverride != null
            ? concurrencyOverride
            : graph.root.workflow.limits().concurrency();
    this.concurrency = limit != null ? limit : Runtime.getRuntime().availableProcessors();
    this.agentCaps = graph.root.workflow.limits().agents();
  }

  String runId() {
    return info.id();
  }

  RunGraph graph() {
    return graph;
  }

  RunServices services() {
    return services;
  }

  RunRecorder recorder() {
    return recorder;
  }

  /**
   * The run's workspace with its {@code ref} rendered against the run's inputs.
   *
   * @throws dev.orchestra.OrchestraException when the ref names a value the run does not have
   */
  dev.orchestra.workflow.WorkspaceSpec workspaceSpec() {
    dev.orchestra.workflow.WorkspaceSpec ws = graph.root.workflow.workspace();
    if (ws == null) {
      return dev.orchestra.workflow.WorkspaceSpec.CURRENT_DIRECTORY;
    }
    return ws.ref() == null
        ? ws
        : ws.withRef(graph.root.render(ws.ref(), "the workspace 'ref'", runId(), services.env()));
  }

  /** The run's secrets (see {@link MaskingRunRecorder}). */
  dev.orchestra.secret.SecretMasker masker() {
    return log.masker();
  }

  CompletableFuture<RunResult> result() {
    return result;
  }

  Event emit(Event event) {
    log.emit(event);
    return event;
  }

  /** Emits {@code run_started} and starts the nodes that are ready. */
  synchronized void start() {
    log.emit(new Event.RunStarted(graph.root.workflow.name(), info.inputs(), resumed));
    LOG.info(
        "run {} {} ({} nodes)", info.id(), resumed ? "resumed" : "started", graph.nodes.size());
    var timeout = graph.root.workflow.limits().timeout();
    if (timeout != null) {
      runTimeout =
          services
              .scheduler()
              .schedule(
                  () -> stop(StopRequest.timeout(Durations.format(timeout))),
                  timeout.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
    for (GraphNode n : graph.nodes) {
      n.innerPending = n.children.size();
    }
    for (GraphNode n : graph.nodes) {
      if (n.preserved) {
        // Succeeded before the resume: count it done for its dependents, without events.
        for (GraphNode d : n.dependents) {
          d.remaining--;
        }
        if (n.parent != null) {
          n.parent.innerPending--;
        }
      } else {
        unfinished++;
      }
    }
    for (GraphNode n : graph.nodes) {
      if (!n.preserved && n.parent == null && n.remaining == 0) {
        ready(n);
      }
    }
    drain();
  }

  private void ready(GraphNode n) {
    if (n.isComposite()) {
      startComposite(n);
      return;
    }
    n.readySeq = readyCounter++;
    queues.computeIfAbsent(n.agent(), a -> new ArrayDeque<>()).add(n);
  }

  private void startComposite(GraphNode c) {
    c.status = NodeStatus.RUNNING;
    c.attempt++;
    c.startNanos = System.nanoTime();
    log.emit(new Event.NodeStarted(c.id, c.attempt));
    try {
      Map<String, String> with = new LinkedHashMap<>();
      if (c.spec.with() != null) {
        c.spec
            .with()
            .forEach(
                (k, v) ->
                    with.put(
                        k,
                        c.scope.render(
                            v, "'with' of node '" + c.id + "'", runId(), services.env())));
      }
      c.innerScope.inputs(with);
    } catch (OrchestraException e) {
      finishUnrun(c, NodeStatus.ERROR, e.getMessage(), NodeStatus.SKIPPED);
      toSettle.add(c);
      return;
    }
    if (c.innerPending == 0) {
      completeComposite(c);
      return;
    }
    for (GraphNode r : c.innerRoots) {
      if (!r.preserved && --r.remaining == 0) {
        ready(r);
      }
    }
  }

  private void completeComposite(GraphNode c) {
    GraphNode bad = null;
    Usage usage = Usage.ZERO;
    for (GraphNode child : c.children) {
      usage = usage.plus(child.usage);
      if (child.status != NodeStatus.SUCCEEDED
          && (bad == null
              || (bad.status == NodeStatus.SKIPPED && child.status != NodeStatus.SKIPPED))) {
        bad = child;
      }
    }
    c.usage = usage;
    if (bad == null) {
      try {
        Map<String, String> outputs = new LinkedHashMap<>();
        c.innerScope
            .workflow
            .outputs()
            .forEach(
                (name, out) ->
                    outputs.put(
                        name,
                        c.innerScope.render(
                            out.value(),
                            "output '" + name + "' of " + c.spec.uses(),
                            runId(),
                            services.env())));
        c.outputs = outputs;
        c.output = NamedOutputs.composite(outputs);
        c.status = NodeStatus.SUCCEEDED;
        try (AttemptRecorder rec = recorder.attempt(c.id, c.attempt)) {
          rec.output(c.output);
          rec.outputs(outputs);
        }
      } catch (OrchestraException e) {
        c.status = NodeStatus.FAILED;
        c.reason = e.getMessage();
      }
    } else {
      c.status = stop != null ? stop.runningStatus() : NodeStatus.FAILED;
      c.reason =
          "inner node '"
              + bad.id
              + "' "
              + bad.status.wireName()
              + (bad.reason != null ? ": " + bad.reason : "");
    }
    c.durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c.startNanos);
    emitFinished(c);
    toSettle.add(c);
  }

  /**
   * Ends a node that will not run, and the inner nodes of a composed one. The caller settles it.
   */
  private void finishUnrun(GraphNode n, NodeStatus status, String reason, NodeStatus inner) {
    if (n.isComposite()) {
      for (GraphNode d : n.descendants) {
        if (!d.status.isTerminal()) {
          d.status = inner;
          d.reason = reason;
          emitFinished(d);
          unfinished--;
        }
      }
      n.innerPending = 0;
    }
    n.status = status;
    n.reason = reason;
    emitFinished(n);
  }

  private void emitFinished(GraphNode n) {
    log.emit(
        new Event.NodeFinished(
            n.id,
            n.status,
            n.attempt,
            n.durationMs,
            n.status == NodeStatus.SUCCEEDED ? null : n.reason,
            n.usage,
            n.output));
  }

  /** Propagates the end of the nodes in {@link #toSettle}, starts what became ready. */
  private void drain() {
    if (settling) {
      return;
    }
    settling = true;
    try {
      GraphNode n;
      while ((n = toSettle.poll()) != null) {
        settle(n);
      }
      dispatch();
    } finally {
      settling = false;
    }
    if (unfinished == 0 && !finished) {
      finishRun();
    }
  }

  private void settle(GraphNode n) {
    unfinished--;
    boolean passes = n.status == NodeStatus.SUCCEEDED || n.spec.continuesOnFailure();
    GraphNode cause = n.status == NodeStatus.SKIPPED && n.blockedBy != null ? n.blockedBy : n;
    for (GraphNode d : n.dependents) {
      if (!passes && d.blockedBy == null) {
        d.blockedBy = cause;
      }
      if (--d.remaining == 0) {
        if (stop != null) {
          // Once the run stops, nothing else starts: the stop's reason beats an upstream failure.
          finishUnrun(d, stop.pendingStatus(), stop.reason(), stop.pendingStatus());
          toSettle.add(d);
        } else if (d.blockedBy != null) {
          finishUnrun(
              d,
              NodeStatus.SKIPPED,
              "upstream node '" + d.blockedBy.id + "' " + d.blockedBy.status.wireName(),
              NodeStatus.SKIPPED);
          toSettle.add(d);
        } else {
          ready(d);
        }
      }
    }
    GraphNode parent = n.parent;
    if (parent != null && parent.status == NodeStatus.RUNNING && --parent.innerPending == 0) {
      completeComposite(parent);
    }
  }

  private void dispatch() {
    while (stop == null && running < concurrency) {
      ArrayDeque<GraphNode> best = null;
      for (Map.Entry<String, ArrayDeque<GraphNode>> q : queues.entrySet()) {
        ArrayDeque<GraphNode> nodes = q.getValue();
        if (nodes.isEmpty()) {
          continue;
        }
        Integer cap = agentCaps.get(q.getKey());
        if (cap != null && runningPerAgent.getOrDefault(q.getKey(), 0) >= cap) {
          continue;
        }
        if (best == null || nodes.peek().readySeq < best.peek().readySeq) {
          best = nodes;
        }
      }
      if (best == null) {
        return;
      }
      launch(best.poll());
    }
  }

  private void launch(GraphNode n) {
    running++;
    runningPerAgent.merge(n.agent(), 1, Integer::sum);
    n.status = NodeStatus.RUNNING;
    n.startNanos = System.nanoTime();
    n.control = new NodeControl(services.workers());
    active.add(n);
    services.workers().execute(new NodeRunner(this, n));
  }

  /** Called by a node's runner when the node has ended. */
  synchronized void nodeFinished(GraphNode n, NodeOutcome outcome) {
    running--;
    runningPerAgent.merge(n.agent(), -1, Integer::sum);
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
    emitFinished(n);
    toSettle.add(n);
    drain();
  }

  /** Stops the run: running nodes are killed, nodes not started end without running. */
  synchronized void stop(StopRequest request) {
    if (finished || stop != null) {
      return;
    }
    stop = request;
    LOG.info("run {}: stopping: {}", runId(), request.reason());
    for (GraphNode n : new ArrayList<>(active)) {
      n.control.stop(request.runningStatus(), request.reason());
    }
    for (ArrayDeque<GraphNode> q : queues.values()) {
      GraphNode n;
      while ((n = q.poll()) != null) {
        finishUnrun(n, request.pendingStatus(), request.reason(), request.pendingStatus());
        toSettle.add(n);
      }
    }
    drain();
  }

  /**
   * Records the usage of a node's running attempt so far.
   *
   * @return why a budget is exceeded (the node's or the run's), or {@code null}
   */
  synchronized String attemptUsage(GraphNode n, Usage soFar) {
    inflight.put(n, soFar);
    return checkBudgets(n, soFar);
  }

  /** Adds a finished attempt's usage to its node and the run; answers as {@link #attemptUsage}. */
  synchronized String commitUsage(GraphNode n, Usage attempt) {
    inflight.remove(n);
    n.usage = n.usage.plus(attempt);
    committed = committed.plus(attempt);
    return checkBudgets(n, Usage.ZERO);
  }

  private String checkBudgets(GraphNode n, Usage inflightOfNode) {
    String nodeOver = over(n.spec.budget(), n.usage.plus(inflightOfNode));
    if (nodeOver != null) {
      return "node budget exceeded: " + nodeOver;
    }
    Usage run = committed;
    for (Usage u : inflight.values()) {
      run = run.plus(u);
    }
    String runOver = over(graph.root.workflow.limits().budget(), run);
    if (runOver != null) {
      String reason = "run budget exceeded: " + runOver;
      stop(StopRequest.budget(reason));
      return reason;
    }
    return null;
  }

  private static String over(Budget budget, Usage usage) {
    if (budget == null) {
      return null;
    }
    if (budget.usd() != null && usage.costUsd().compareTo(budget.usd()) > 0) {
      return "$" + usage.costUsd().toPlainString() + " > $" + budget.usd().toPlainString();
    }
    if (budget.tokens() != null && usage.totalTokens() > budget.tokens()) {
      return usage.totalTokens() + " tokens > " + budget.tokens();
    }
    return null;
  }

  private void finishRun() {
    finished = true;
    if (runTimeout != null) {
      runTimeout.cancel(false);
    }
    Usage total = Usage.ZERO;
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    for (GraphNode n : graph.nodes) {
      if (!n.isComposite()) {
        total = total.plus(n.usage);
      }
      if (n.status != NodeStatus.SUCCEEDED && n.status != NodeStatus.SKIPPED && !n.isComposite()) {
        failed.add(n.id);
      }
      nodes.put(
          n.id,
          new NodeResult(
              n.id,
              n.status,
              n.attempt,
              n.durationMs,
              n.usage,
              n.output,
              n.status == NodeStatus.SUCCEEDED ? null : n.reason,
              n.outputs));
    }
    RunWorkspace handover = handOver();
    handover.nodes().forEach((id, b) -> nodes.computeIfPresent(id, (k, r) -> r.withBranch(b)));
    boolean allSucceeded =
        nodes.values().stream().allMatch(r -> r.status() == NodeStatus.SUCCEEDED);
    RunStatus status;
    String reason;
    if (stop != null) {
      status = stop.runStatus();
      reason = stop.reason();
    } else if (allSucceeded) {
      status = RunStatus.SUCCEEDED;
      reason = null;
    } else {
      status = RunStatus.FAILED;
      reason =
          failed.isEmpty()
              ? "nodes were skipped"
              : "nodes did not succeed: " + String.join(", ", failed);
    }
    if (handover.failure() != null && status == RunStatus.SUCCEEDED) {
      status = RunStatus.FAILED;
      reason = handover.failure();
    }
    RuntimeException storeFailure = log.storeFailure();
    if (storeFailure != null && status == RunStatus.SUCCEEDED) {
      status = RunStatus.FAILED;
      reason = "the run's records could not be written: " + storeFailure.getMessage();
    }
    log.emit(new Event.RunFinished(status, total, reason));
    LOG.info("run {} {}{}", runId(), status.wireName(), reason == null ? "" : ": " + reason);
    RunResult runResult =
        new RunResult(
            info.id(),
            graph.root.workflow.name(),
            status,
            reason,
            info.started(),
            services.clock().instant(),
            total,
            nodes,
            handover.run(),
            handover.checkout());
    try {
      recorder.finish(runResult);
    } catch (OrchestraException e) {
      LOG.error("run {}: cannot write its result: {}", runId(), e.getMessage());
    } finally {
      recorder.close();
    }
    log.close().whenComplete((v, e) -> result.complete(runResult));
  }

  /** The workspace provider's end of the run: the run branch, pushes, cleanup. */
  private RunWorkspace handOver() {
    try {
      return services.workspaces().finishRun(runId(), workspaceSpec(), Upstream.sinks(graph));
    } catch (RuntimeException e) {
      LOG.warn("run {}: handing over its workspace failed", runId(), e);
      return new RunWorkspace(
          java.util.Map.of(), null, null, "handing over the workspace failed: " + e.getMessage());
    }
  }
}
