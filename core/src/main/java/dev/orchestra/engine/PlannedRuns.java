package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.Event;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.Usage;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.Decision;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.PlannedRunStore;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.StoredPlan;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.Workflow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs planned for a CI pipeline that runs their nodes one per process, maybe in other workspaces
 * and on other machines (docs/pipeline-plan.md): {@link #plan} creates the run, {@link #runNode}
 * runs one node in this process as {@code orchestra run} would (its agent, checks, attempts with
 * feedback, backoff, timeouts, budgets, rate-limit waits, workspace), reading its upstream nodes'
 * ends and outputs from the records, {@link #skipNode} records a node the pipeline decided not to
 * run, and {@link #finish} ends the run: it records the nodes that never ran, hands over the run's
 * workspace and writes {@code run_finished} and the result, so that the run reads as if one process
 * had run it. {@link #replan} continues a recorded run in a new session.
 *
 * <p>Every process works from the records alone: the workflow as planned, the files it reads (its
 * {@code uses} and {@code prompt_file}s, {@link dev.orchestra.store.PlannedRunStore#planFiles}),
 * the inputs, and the nodes' events. Node processes record through {@link
 * PlannedRunStore#recordNode}, so that many of them write one run at once.
 *
 * <p>Thread-safe as the engine is; each call blocks for the records it reads and writes (a node's
 * run itself goes on in the background, see {@link NodeRun.Started}).
 */
public final class PlannedRuns {
  private final PlannedRunStore store;
  private final WorkflowReader loader;
  private final Path baseDir;
  private final RunServices services;
  private final Trust trust;

  /**
   * @param trust how far the workflows of the runs planned and run here are trusted ({@link
   *     Trust#LOCAL}: {@code --trust-local}); skipping a node and finishing a run run nothing and
   *     read no file into a prompt, so they build the graph's shape whatever the trust
   */
  PlannedRuns(
      PlannedRunStore store,
      WorkflowReader loader,
      Path baseDir,
      RunServices services,
      Trust trust) {
    this.store = store;
    this.loader = loader;
    this.baseDir = baseDir;
    this.services = services;
    this.trust = trust;
  }

  /**
   * The plan of {@code workflow} (validated) with {@code given} inputs, creating nothing: a
   * required input without a value is not an error here, it is left out of the plan's inputs.
   *
   * @throws OrchestraException when a composed workflow cannot be read or two credentials map to
   *     one variable
   */
  public Plan describe(Workflow workflow, Map<String, String> given) {
    Map<String, String> inputs = new LinkedHashMap<>();
    for (Map.Entry<String, InputSpec> e : workflow.inputs().entrySet()) {
      String value = given.getOrDefault(e.getKey(), e.getValue().defaultValue());
      if (value != null) {
        inputs.put(e.getKey(), value);
      }
    }
    given.forEach(inputs::putIfAbsent);
    RunGraph graph = RunGraph.build(workflow, loader, baseDir, trust);
    graph.root.inputs(inputs);
    return new Plan(null, workflow, inputs, PlanNodes.of(graph, Set.of(), null, services.env()));
  }

  /**
   * Creates a run of {@code workflow} (validated) without starting it: its records hold the
   * workflow's text, the files it composes and its prompt files, the inputs and {@code
   * run_started}. Nothing runs until {@link #runNode}.
   *
   * @param workflowText the workflow file's exact text; {@code null} to read {@code
   *     workflow.file()}
   * @throws OrchestraException when a required input is missing, a composed workflow or prompt file
   *     cannot be read, two credentials map to one variable, or the run cannot be recorded
   */
  public Plan plan(Workflow workflow, Map<String, String> given, String workflowText) {
    Map<String, String> inputs = Engine.inputs(workflow, given);
    PlanFiles files = PlanFiles.empty(baseDir);
    RunGraph graph = RunGraph.build(workflow, files.capturing(loader), baseDir, trust);
    for (GraphNode n : graph.nodes) {
      if (!n.isComposite() && n.spec.promptFile() != null) {
        files.capture(
            graph.repository,
            n.scope.dir,
            n.spec.promptFile(),
            "prompt_file '" + n.spec.promptFile() + "' of node '" + n.id + "'");
      }
    }
    graph.root.inputs(inputs);
    SecretMasker masker = new SecretMasker();
    NodeCredentials.prepare(graph, services.credentials(), masker);
    String text = workflowText;
    if (text == null) {
      text = workflow.file() != null ? RunOptions.read(workflow.file()) : "";
    }
    String runId = RunIds.next(services.clock(), services.random());
    while (store.find(runId).isPresent()) {
      runId = RunIds.next(services.clock(), services.random());
    }
    List<Plan.Node> nodes = PlanNodes.of(graph, Set.of(), runId, services.env());
    // Relative to the directory of the plan, so that a workspace elsewhere finds it the same way.
    String file = workflow.file() == null ? null : files.key(workflow.file());
    if (file != null && file.startsWith("../")) {
      file = workflow.file().toAbsolutePath().normalize().toString();
    }
    RunInfo info =
        new RunInfo(
            runId,
            workflow.name(),
            file,
            text,
            inputs,
            services.clock().instant(),
            StoredPlan.of(RunPlan.of(workflow)));
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.create(info), masker);
    try {
      store.planFiles(runId, files.texts());
      services.workspaces().planRun(runId, RunContext.workspaceSpec(graph, runId, services.env()));
      EventLog log = new EventLog(runId, services.clock(), recorder, 0, List.of(), masker);
      log.emit(new Event.RunStarted(workflow.name(), inputs, false));
      failOnStore(recorder);
      log.close();
    } finally {
      recorder.close();
    }
    return new Plan(runId, workflow, inputs, nodes);
  }

  /**
   * Plans the recorded run {@code runId} again for a new session (a resumed pipeline): its workflow
   * and inputs as recorded; the nodes that succeeded before are marked and will not run again, the
   * others run again. First folds what node processes recorded into the run's events, and ends the
   * processes an interrupted node left running on this machine, as {@link Engine#resume} does; then
   * records {@code run_started} with {@code resumed: true}.
   *
   * @throws OrchestraException when there is no such run, a process holds it or one of its nodes,
   *     or its records cannot be read or written
   */
  public Plan replan(String runId) {
    RunInfo info = info(runId);
    SecretMasker masker = new SecretMasker();
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.reopen(runId), masker);
    try {
      List<RecordedEvent> events = store.events(runId);
      Orphans.reap(events, store, runId);
      RunGraph graph = graph(info, trust);
      NodeCredentials.prepare(graph, services.credentials(), masker);
      long lastSeq = Replay.apply(events, graph, store, runId);
      graph.root.inputs(info.inputs());
      Set<String> succeeded = new HashSet<>();
      for (GraphNode n : graph.nodes) {
        if (n.parent == null && n.preserved) {
          succeeded.add(n.id);
        }
      }
      EventLog log = new EventLog(runId, services.clock(), recorder, lastSeq, List.of(), masker);
      log.emit(new Event.RunStarted(graph.root.workflow.name(), info.inputs(), true));
      failOnStore(recorder);
      log.close();
      return new Plan(
          runId,
          graph.root.workflow,
          info.inputs(),
          PlanNodes.of(graph, succeeded, runId, services.env()));
    } finally {
      recorder.close();
    }
  }

  /**
   * Runs the top-level node {@code nodeId} of the planned run {@code runId} in this process, with
   * its inner nodes when it is a composed one, unless the records say otherwise ({@link NodeRun}):
   * it succeeded already, a need has no recorded end, a need did not pass (then it is recorded
   * {@code skipped} with the reason and nothing runs), or its approval gate has no decision.
   *
   * <p>The run's budget counts {@code options.spent()} or what the records show the session's other
   * nodes spent, whichever is more; what is left of the run's timeout (from the session's {@code
   * run_started}) applies. The node's events go to the records as they happen and to {@code
   * options.listeners()}.
   *
   * @throws OrchestraException when there is no such run, its records cannot be read, or another
   *     process records this node or holds the run
   */
  public NodeRun runNode(String runId, String nodeId, NodeOptions options) {
    Lookup lookup = lookup(runId, nodeId, trust);
    if (!(lookup instanceof Found found)) {
      return ((NotFound) lookup).refused();
    }
    RunInfo info = found.info();
    RunGraph graph = found.graph();
    GraphNode node = found.node();
    SessionRecords records = found.records();
    Event.NodeFinished before = records.end(nodeId);
    if (before != null && before.status() == NodeStatus.SUCCEEDED) {
      return new NodeRun.Ended(result(before));
    }
    List<String> missing = records.missingNeeds(node);
    if (!missing.isEmpty()) {
      return new NodeRun.MissingUpstream(missing);
    }
    String blocker = records.blocker(node);
    if (blocker == null && node.spec.isGated() && !store.decisions(runId).containsKey(nodeId)) {
      return new NodeRun.AwaitingApproval(nodeId);
    }
    for (GraphNode n : graph.nodes) {
      if (n == node || node.descendants.contains(n)) {
        records.reset(n);
      } else {
        records.restore(n, store, runId);
      }
    }
    graph.root.inputs(info.inputs());
    SecretMasker masker = new SecretMasker();
    NodeCredentials.prepare(graph, services.credentials(), masker);
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.recordNode(runId, nodeId), masker);
    try {
      EventLog log =
          new EventLog(
              runId, services.clock(), recorder, records.lastSeq(), options.listeners(), masker);
      Usage spent = most(options.spent(), records.spent(graph));
      java.util.Optional<String> over =
          Spending.over(graph.root.workflow.limits().budget(), spent)
              .map(o -> Overrun.run(o).reason());
      if (blocker != null || over.isPresent()) {
        // Nothing runs: an upstream did not pass, or the run has spent its budget already.
        List<GraphNode> ended =
            blocker != null
                ? unrun(log, node, NodeStatus.SKIPPED, blocker)
                : unrun(log, node, NodeStatus.BUDGET_EXCEEDED, over.get());
        failOnStore(recorder);
        log.close().join();
        recorder.close();
        return new NodeRun.Ended(RunEnd.resultOf(ended.get(ended.size() - 1)));
      }
      RunContext context = new RunContext(info, graph, services, recorder, log, store, true);
      Coordinator coordinator =
          new Coordinator(context, null, Session.node(node, spent, timeLeft(graph, records)));
      coordinator.start();
      return new NodeRun.Started(new RunHandle(coordinator, log));
    } catch (RuntimeException e) {
      recorder.close();
      throw e;
    }
  }

  /**
   * Records the top-level node {@code nodeId} (and its inner nodes) as {@code skipped} with {@code
   * reason}, without running anything: the pipeline decided (a fork's build withholds its
   * credentials).
   *
   * @return {@link NodeRun.Ended} with the node's result, or {@link NodeRun.Refused} when there is
   *     no such node or it has ended in this session already
   * @throws OrchestraException when there is no such run or its records cannot be written
   */
  public NodeRun skipNode(String runId, String nodeId, String reason) {
    Lookup lookup = lookup(runId, nodeId, Trust.LOCAL);
    if (!(lookup instanceof Found found)) {
      return ((NotFound) lookup).refused();
    }
    RunGraph graph = found.graph();
    GraphNode node = found.node();
    SessionRecords records = found.records();
    Event.NodeFinished before = records.end(nodeId);
    if (before != null) {
      return new NodeRun.Refused(
          "node '"
              + nodeId
              + "' of run "
              + runId
              + " has ended already ("
              + before.status().wireName()
              + "); it cannot be skipped");
    }
    for (GraphNode n : graph.nodes) {
      records.reset(n);
    }
    SecretMasker masker = new SecretMasker();
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.recordNode(runId, nodeId), masker);
    try {
      EventLog log =
          new EventLog(runId, services.clock(), recorder, records.lastSeq(), List.of(), masker);
      List<GraphNode> ended = unrun(log, node, NodeStatus.SKIPPED, reason);
      failOnStore(recorder);
      log.close().join();
      return new NodeRun.Ended(RunEnd.resultOf(ended.get(ended.size() - 1)));
    } finally {
      recorder.close();
    }
  }

  /**
   * Ends the planned run {@code runId} once no process runs any of its nodes: folds what the nodes
   * recorded into the run's events, records each node that did not end in this session — {@code
   * skipped} with the engine's reason when a need did not pass, {@code failed} when a person
   * rejected it at its gate, else {@code cancelled} with {@code cancelReason} (or a reason saying
   * that nothing ran it, or that its process ended without recording its end) — hands over the
   * run's workspace (the git provider merges the node branches into the run branch), and records
   * {@code run_finished} and the result. A run whose records end with {@code run_finished} already
   * and that has its result is answered as recorded.
   *
   * @param cancelReason why the pipeline stopped early (an aborted build), or {@code null}; given,
   *     the run ends cancelled
   * @throws OrchestraException when there is no such run, a process holds it or one of its nodes,
   *     or its records cannot be read or written
   */
  public RunResult finish(String runId, String cancelReason, List<EventListener> listeners) {
    RunInfo info = info(runId);
    RunGraph graph = graph(info, Trust.LOCAL);
    SecretMasker masker = new SecretMasker();
    NodeCredentials.prepare(graph, services.credentials(), masker);
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.reopen(runId), masker);
    try {
      List<RecordedEvent> events = store.events(runId);
      if (!events.isEmpty()
          && events.get(events.size() - 1).event() instanceof Event.RunFinished
          && store.result(runId).isPresent()) {
        recorder.close();
        return store.result(runId).get();
      }
      SessionRecords records = SessionRecords.of(events, graph);
      for (GraphNode n : graph.nodes) {
        records.restore(n, store, runId);
      }
      graph.root.inputs(info.inputs());
      EventLog log =
          new EventLog(runId, services.clock(), recorder, records.lastSeq(), listeners, masker);
      RunContext context = new RunContext(info, graph, services, recorder, log, store, true);
      // Skips follow a recorded end that did not pass; a need that never ran makes its dependants
      // never run either (cancelled), as a stopped run does; and in a cancelled run, so does a
      // need the cancel ended. A gated node the pipeline rejected (`orchestra reject`, no node
      // exec) fails as the engine fails it, and its dependants are skipped for it.
      Map<String, Decision> decisions = store.decisions(runId);
      Map<GraphNode, GraphNode> causes = new LinkedHashMap<>();
      for (GraphNode n : PlanNodes.topological(graph)) {
        if (records.end(n.id) != null) {
          continue;
        }
        GraphNode cause = records.cause(n);
        if (cause != null
            && cancelReason != null
            && records.end(cause.id).status() == NodeStatus.CANCELLED) {
          cause = null;
        }
        for (int i = 0; cause == null && i < n.needs.size(); i++) {
          cause = causes.get(n.needs.get(i));
        }
        Decision d = decisions.get(n.id);
        if (cause != null) {
          causes.put(n, cause);
          unrun(
              log,
              n,
              NodeStatus.SKIPPED,
              "upstream node '" + cause.id + "' " + cause.status.wireName());
        } else if (n.spec.isGated() && d != null && !d.approved()) {
          if (!n.decisionAnnounced) {
            log.emit(new Event.NodeRejected(n.id, d.by(), d.comment(), d.time()));
          }
          unrun(log, n, NodeStatus.FAILED, ApprovalGates.rejected(d));
          if (!n.spec.continuesOnFailure()) {
            causes.put(n, n);
          }
        } else {
          unrun(log, n, NodeStatus.CANCELLED, neverRan(n, records, cancelReason));
        }
      }
      CompletableFuture<RunResult> result = new CompletableFuture<>();
      StopRequest stop = cancelReason == null ? null : StopRequest.cancel(cancelReason);
      RunEnd.of(context, stop, result).finish();
      return result.join();
    } catch (RuntimeException e) {
      recorder.close();
      throw e;
    }
  }

  private static String neverRan(GraphNode n, SessionRecords records, String cancelReason) {
    if (cancelReason != null) {
      return cancelReason;
    }
    if (records.interrupted(n.id)) {
      return "its node exec process ended without recording an end (killed?)";
    }
    return "no node exec ran it before the run was finished";
  }

  /**
   * Ends {@code n} and its inner nodes without running them, inner nodes first, as {@link
   * Propagation} does for a node that will not run.
   *
   * @return the nodes ended, {@code n} last
   */
  private static List<GraphNode> unrun(EventLog log, GraphNode n, NodeStatus status, String why) {
    List<GraphNode> ended = new java.util.ArrayList<>();
    for (GraphNode d : n.descendants) {
      if (!d.status.isTerminal()) {
        ended.add(d);
      }
    }
    ended.add(n);
    for (GraphNode e : ended) {
      e.status = status;
      e.reason = why;
      e.durationMs = 0;
      log.emit(new Event.NodeFinished(e.id, status, e.attempt, 0, why, Usage.ZERO, e.output));
    }
    return ended;
  }

  private static void failOnStore(MaskingRunRecorder recorder) {
    RuntimeException failure = recorder.failure().orElse(null);
    if (failure != null) {
      throw new OrchestraException(
          "the run's records could not be written: " + failure.getMessage(), failure);
    }
  }

  private RunInfo info(String runId) {
    return store
        .find(runId)
        .orElseThrow(
            () ->
                new OrchestraException(
                    "no run '" + runId + "' in the records; `orchestra runs` lists the runs"));
  }

  /** The run's graph from its records: the workflow as planned and its recorded files. */
  RunGraph graph(RunInfo info, Trust trust) {
    PlanFiles files = PlanFiles.recorded(baseDir, store.planFiles(info.id()));
    WorkflowReader recorded = files.reader();
    Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
    Workflow workflow = recorded.parse(file, info.workflowText(), trust);
    return RunGraph.build(workflow, recorded, baseDir, trust, files.source());
  }

  /** A top-level node of a run, with the run's graph and current session, or why there is none. */
  private sealed interface Lookup {}

  private record Found(RunInfo info, RunGraph graph, GraphNode node, SessionRecords records)
      implements Lookup {}

  private record NotFound(NodeRun.Refused refused) implements Lookup {}

  private Lookup lookup(String runId, String nodeId, Trust trust) {
    RunInfo info = info(runId);
    RunGraph graph = graph(info, trust);
    GraphNode node = graph.byId.get(nodeId);
    if (node == null || node.parent != null) {
      return new NotFound(new NodeRun.Refused(unknown(runId, nodeId, graph)));
    }
    return new Found(info, graph, node, SessionRecords.of(store.events(runId), graph));
  }

  private static String unknown(String runId, String nodeId, RunGraph graph) {
    return "run "
        + runId
        + " has no top-level node '"
        + nodeId
        + "'; its nodes are "
        + graph.nodes.stream()
            .filter(n -> n.parent == null)
            .map(n -> n.id)
            .collect(Collectors.joining(", "));
  }

  private Duration timeLeft(RunGraph graph, SessionRecords records) {
    Duration limit = graph.root.workflow.limits().timeout();
    Instant start = records.sessionStart();
    if (limit == null || start == null) {
      return limit;
    }
    return limit.minus(Duration.between(start, services.clock().instant()));
  }

  /** Per part, the larger of what the pipeline says the run spent and what the records show. */
  private static Usage most(Usage given, Usage recorded) {
    long tokens = Math.max(given.totalTokens(), recorded.totalTokens());
    return new Usage(
        tokens,
        0,
        given.costUsd().max(recorded.costUsd()),
        given.costEstimated() || recorded.costEstimated());
  }

  private static NodeResult result(Event.NodeFinished f) {
    return new NodeResult(
        f.node(),
        f.status(),
        f.attempts(),
        f.durationMs(),
        f.usage(),
        f.output(),
        f.reason(),
        null);
  }
}
