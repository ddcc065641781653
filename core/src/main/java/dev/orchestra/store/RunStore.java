package dev.orchestra.store;

import dev.orchestra.event.RecordedEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where runs are recorded: the workflow as it was run, the events, per node and attempt the prompt,
 * output and check results, and the result. The CLI uses a directory ({@code FileRunStore} in the
 * {@code store} module); the server will use a database.
 *
 * <p>Implementations are thread-safe. Reading a run that another process is writing is allowed and
 * sees a prefix of its events.
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

  /** All runs, newest first. */
  List<RunSummary> list();

  /** The run's metadata, or empty when there is no such run. */
  Optional<RunInfo> find(String runId);

  /**
   * The run's events in order. A torn last event (the process was killed while writing it) is left
   * out.
   *
   * @throws dev.orchestra.OrchestraException when the run does not exist
   */
  List<RecordedEvent> events(String runId);

  /** The run's result, or empty while it runs or when it was interrupted. */
  Optional<RunResult> result(String runId);

  /** The records of every attempt of a node, in attempt order; empty when it never started. */
  List<AttemptRecord> attempts(String runId, String node);
}
