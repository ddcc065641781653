package dev.orchestra.store;

import dev.orchestra.event.RecordedEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where runs are recorded: the workflow as it was run, the events, per node and attempt the prompt,
 * output and check results, and the result. The CLI uses a directory ({@code FileRunStore} in the
 * {@code store} module); the server a database ({@code SqlRunStore} in {@code store-sql}).
 *
 * <p>Implementations are thread-safe. Reading a run that another process is writing is allowed and
 * sees a prefix of its events.
 *
 * <p><b>Decisions</b> on approval gates ({@link #decide}, {@link #decisions}, {@link
 * #watchDecisions}) are the one thing written into a run by processes that do not hold its lock: a
 * person runs {@code orchestra approve} in one terminal while {@code orchestra run} records the run
 * in another, a server's API call lands while one of its threads runs the run, a Jenkins stage
 * approves before {@code node exec} runs the node. The store keeps them apart from the events
 * (which only the lock holder appends), and the engine turns each into a {@code node_approved} or
 * {@code node_rejected} event when it takes it up.
 */
public interface RunStore {

  /**
   * Creates a run and locks it for the caller.
   *
   * @throws dev.orchestra.OrchestraException when a run with this id exists or the store cannot be
   *     written
   */
  RunRecorder create(RunInfo info);

  /**
   * Locks an existing run to continue recording it (resume); later events are appended after the
   * recorded ones.
   *
   * @throws dev.orchestra.OrchestraException when the run does not exist or another process holds
   *     its lock
   */
  RunRecorder reopen(String runId);

  /** All runs, newest first ({@link RunSummary#NEWEST_FIRST}). */
  List<RunSummary> list();

  /**
   * One page of the runs that pass {@code query}'s filters, newest first ({@link
   * RunSummary#NEWEST_FIRST}), starting after its cursor. Paging is by position in that order, not
   * by offset: a run created while a client pages (it is newer than every page) does not shift the
   * pages, and no run is shown twice. Each store documents what a page costs.
   */
  RunPage list(RunQuery query);

  /**
   * Deletes a run's records (a server's {@code DELETE /runs/{id}}): afterwards {@link #find} is
   * empty and the id is free. A run that a process records now is not deleted.
   *
   * @return whether there was such a run
   * @throws dev.orchestra.OrchestraException when a process holds the run (cancel it first), or the
   *     records cannot be removed
   */
  boolean delete(String runId);

  /** The run's metadata, or empty when there is no such run. */
  Optional<RunInfo> find(String runId);

  /**
   * The run's events in order. A torn last event (the process was killed while writing it) is left
   * out.
   *
   * @throws dev.orchestra.OrchestraException when the run does not exist
   */
  List<RecordedEvent> events(String runId);

  /**
   * The run's events numbered after {@code afterSeq}, in order: a client that saw the events up to
   * {@code afterSeq} (a server's SSE client reconnecting with {@code Last-Event-ID}) gets the rest,
   * none twice and none missing. {@code afterSeq} 0 gives every event. A torn last event is left
   * out as by {@link #events(String)}.
   *
   * @throws IllegalArgumentException when {@code afterSeq} is negative
   * @throws dev.orchestra.OrchestraException when the run does not exist
   */
  List<RecordedEvent> events(String runId, long afterSeq);

  /** The run's result, or empty while it runs or when it was interrupted. */
  Optional<RunResult> result(String runId);

  /** The records of every attempt of a node, in attempt order; empty when it never started. */
  List<AttemptRecord> attempts(String runId, String node);

  /**
   * Records a person's decision on the approval gate of {@code node} (its id as events name it,
   * {@code outer/inner} inside a composed workflow), unless that node has a decision already.
   *
   * <p>The first decision recorded for a node of a run is final: a later or concurrent call, from
   * this process or any other, with or without the run's lock, records nothing and answers the
   * decision on record. When this returns the decision survives a crash of this process (stores
   * document whether also a machine crash), and every {@link #watchDecisions} watch of the node
   * will be told.
   *
   * <p>The store does not check that the node exists, has a gate, is waiting, or that {@code
   * decision.by()} may decide: the engine checks all that before it calls this.
   *
   * @return the decision on record after the call: {@code decision} when this call recorded it,
   *     else the one recorded before
   * @throws dev.orchestra.OrchestraException when there is no such run or the store cannot be
   *     written
   */
  Decision decide(String runId, String node, Decision decision);

  /**
   * The decisions recorded for the run, by node id, in no particular order; empty when none was.
   *
   * @throws dev.orchestra.OrchestraException when there is no such run
   */
  Map<String, Decision> decisions(String runId);

  /**
   * Tells {@code listener} the id of each node among {@code nodes} that gets a decision in the run
   * after this call, by any process, until the watch is closed. The process running the run uses it
   * to take up decisions as they are made.
   *
   * <p>Delivery is at least once per decision (a node may be reported again, and a decision
   * recorded just before this call may be reported too), on a thread of the store's choosing, which
   * may be the thread that called {@link #decide}; the listener reads the decision with {@link
   * #decisions}, must return quickly, and must not throw. To miss none, watch first, then read
   * {@link #decisions}. Each store documents how soon it reports (the memory store: at once; the
   * file store: at once through the OS's file notifications, within a bounded delay where there are
   * none); a store that has no notifications polls, and says how often.
   *
   * @throws dev.orchestra.OrchestraException when there is no such run or the watch cannot be set
   *     up
   */
  DecisionWatch watchDecisions(String runId, Collection<String> nodes, Consumer<String> listener);
}
