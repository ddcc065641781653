package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunStore;
import dev.orchestra.workflow.WorkspaceSpec;

/**
 * The collaborators of one run, fixed when it starts, shared by its coordinator and its nodes'
 * runners. Immutable and thread-safe as its parts are: the recorder and the event log are.
 *
 * @param info what the run was started with
 * @param graph its nodes (their run-time state follows {@link GraphNode}'s locking rule)
 * @param services the engine's collaborators
 * @param recorder the run's records, masked ({@link MaskingRunRecorder})
 * @param log numbers, records and delivers its events
 * @param store the store the run is recorded in, for what other processes write into it (decisions
 *     on approval gates); the run's own records go through {@code recorder}
 * @param planned whether the run was planned for a pipeline, whose nodes run one per process and
 *     possibly in other workspaces (see {@link NodeWorkspace#planned})
 */
record RunContext(
    RunInfo info,
    RunGraph graph,
    RunServices services,
    MaskingRunRecorder recorder,
    EventLog log,
    RunStore store,
    boolean planned) {

  /** A run that one process runs whole. */
  RunContext(
      RunInfo info,
      RunGraph graph,
      RunServices services,
      MaskingRunRecorder recorder,
      EventLog log,
      RunStore store) {
    this(info, graph, services, recorder, log, store, false);
  }

  String runId() {
    return info.id();
  }

  /** The run's secrets (see {@link MaskingRunRecorder}). */
  SecretMasker masker() {
    return log.masker();
  }

  /** The first failure to write the run's records, if any (see {@link MaskingRunRecorder}). */
  java.util.Optional<RuntimeException> recordsFailure() {
    return recorder.failure();
  }

  /** Records {@code event} and queues it for the listeners; see {@link EventLog#emit}. */
  void emit(Event event) {
    log.emit(event);
  }

  /**
   * The run's workspace with its {@code ref} rendered against the run's inputs.
   *
   * @throws dev.orchestra.OrchestraException when the ref names a value the run does not have
   */
  WorkspaceSpec workspaceSpec() {
    return workspaceSpec(graph, runId(), services.env());
  }

  /** The workspace of {@code graph}'s workflow with its {@code ref} rendered; as above. */
  static WorkspaceSpec workspaceSpec(
      RunGraph graph, String runId, java.util.Map<String, String> env) {
    WorkspaceSpec ws = graph.root.workflow.workspace();
    if (ws == null) {
      return WorkspaceSpec.CURRENT_DIRECTORY;
    }
    return ws.ref() == null
        ? ws
        : ws.withRef(graph.root.render(ws.ref(), "the workspace 'ref'", runId, env));
  }
}
