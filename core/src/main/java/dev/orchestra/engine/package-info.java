/**
 * The engine: runs workflows and records them (docs/runs.md).
 *
 * <p>Public API: {@link dev.orchestra.engine.Engine} (built once, thread-safe; {@code start},
 * {@code resume}), {@link dev.orchestra.engine.RunOptions}, {@link dev.orchestra.engine.RunHandle}
 * ({@code runId}, {@code subscribe}, {@code cancel}, {@code await}), {@link
 * dev.orchestra.engine.EventListener}, and the plug-in points {@link
 * dev.orchestra.engine.WorkspaceProvider} (default {@link dev.orchestra.engine.SharedWorkspaces})
 * and {@link dev.orchestra.engine.WorkflowReader}. Everything else is internal.
 *
 * <p>How a run works: one {@code Coordinator} per run is a lock-guarded state machine over the
 * flattened graph ({@code RunGraph}: composed workflows become {@code outer/inner} nodes). When a
 * node ends, its dependents are counted down; those that reach zero join a FIFO queue of their
 * agent, and free slots (global and per agent) take the oldest head among the queues: ready-set
 * scheduling in O(nodes + edges) for the whole run. Each started node runs on a worker thread in a
 * {@code NodeRunner}: prompt assembly, attempts under the exec watchdog, checks, feedback, backoff,
 * named outputs. Stopping (cancel, run timeout, run budget) kills processes through {@code
 * NodeControl} and never interrupts threads. Every process group an attempt starts is recorded with
 * its leader's start time, so that a resume first ends what a crashed session left running ({@code
 * Orphans}, through {@link dev.orchestra.exec.ProcessReaper}).
 *
 * <p>Events are numbered and recorded on the emitting thread ({@code EventLog}), so an event is in
 * the run store before the run moves on, and are delivered to listeners on one thread per run, in
 * order. Lock order: coordinator, then event log, then store; listeners run outside all of them.
 */
package dev.orchestra.engine;
