/**
 * The engine: runs workflows and records them (docs/runs.md).
 *
 * <p>Public API: {@link dev.orchestra.engine.Engine} (built once, thread-safe; {@code start},
 * {@code resume}, {@code decide}), {@link dev.orchestra.engine.RunOptions}, {@link
 * dev.orchestra.engine.RunHandle} ({@code runId}, {@code subscribe}, {@code cancel}, {@code
 * approve}, {@code reject}, {@code await}), {@link dev.orchestra.engine.DecisionOutcome}, {@link
 * dev.orchestra.engine.EventListener}, the runs planned for a pipeline that runs one node per
 * process ({@link dev.orchestra.engine.PlannedRuns}: {@code plan}, {@code runNode}, {@code
 * skipNode}, {@code finish}, with {@link dev.orchestra.engine.Plan}, {@link
 * dev.orchestra.engine.NodeRun} and {@link dev.orchestra.engine.NodeOptions}), and the plug-in
 * points {@link dev.orchestra.engine.WorkspaceProvider} (default {@link
 * dev.orchestra.engine.SharedWorkspaces}) and {@link dev.orchestra.engine.WorkflowReader}.
 * Everything else is internal.
 *
 * <p>How a run works: one {@code Coordinator} per run is a lock-guarded state machine over the
 * flattened graph ({@code RunGraph}: composed workflows become {@code outer/inner} nodes). When a
 * node ends, {@code Propagation} counts its dependents down; those that reach zero join a FIFO
 * queue of their agent ({@code ReadyQueue}), and free slots (global and per agent) take the oldest
 * head among the queues: ready-set scheduling in O(nodes + edges) for the whole run. A node with an
 * approval gate waits outside the queues ({@code ApprovalGates}: {@code waiting_approval}, holding
 * no slot) until a decision arrives: from its {@code RunHandle}, or from any process through the
 * store, whose watch the coordinator holds while the run has gated nodes ({@code DecisionRules}
 * says what is refused). Each started node runs on a worker thread in a {@code NodeRunner}, which
 * wires its steps: the workspace, the node prepared once ({@code PreparedNode}), its attempts
 * ({@code AttemptLoop}: feedback, backoff, rate-limit waits), each attempt ({@code AttemptStep})
 * running the agent's process ({@code AgentProcess}, which critics use too through {@code
 * CriticCall}) and then the checks and named outputs ({@code CheckStep}); the steps report to a
 * {@code NodeSupervisor}, which the coordinator is. Steps answer with values ({@code
 * AttemptResult}, {@code NodeOutcome}, {@code AgentProcess.Ended}, {@code Overrun}), never with
 * nulls. Stopping (cancel, run timeout, run budget) kills processes through {@code NodeControl} and
 * never interrupts threads. Every process group an attempt starts is recorded with its leader's
 * start time, so that a resume first ends what a crashed session left running ({@code Orphans},
 * through {@link dev.orchestra.exec.ProcessReaper}).
 *
 * <p>A planned run's node runs under the same coordinator ({@code Session.node}): the run's other
 * nodes are restored from the records as {@code preserved} ({@code SessionRecords}: the current
 * session's ends, rule 1's blockers), so that only the node and its inner nodes run, and its end is
 * the node's ({@code RunEnd.ofNode}), not the run's.
 *
 * <p>Locking: the run's state (the coordinator's, and every {@code GraphNode}'s run-time state)
 * changes only under the coordinator's lock; node runners never write it, they report to the
 * coordinator. Under the lock go only the state change and the recording of its events; processes,
 * network and durable writes never do: the end of the run ({@code RunEnd}: the git hand-over and
 * push, the result made durable) runs after the lock is released. Events are numbered and recorded
 * on the emitting thread ({@code EventLog}), so an event is in the run store before the run moves
 * on, and are delivered to listeners on one thread per run, in order. Lock order: coordinator, then
 * a node's control or the event log, then the store; listeners run outside all of them.
 */
package dev.orchestra.engine;
