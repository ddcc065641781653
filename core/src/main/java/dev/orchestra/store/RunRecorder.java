package dev.orchestra.store;

import dev.orchestra.event.RecordedEvent;

/**
 * Writes the records of one run while it runs. Holding a recorder means holding the run's lock: no
 * other process can record or resume the same run until {@link #close()}.
 *
 * <p>Thread-safe: events arrive from the engine's coordinator and from output reader threads.
 */
public interface RunRecorder extends AutoCloseable {

  /** The run's id. */
  String runId();

  /**
   * Appends an event durably: when this returns, the event survives a crash of this process (it is
   * written to the operating system); whether it also survives a machine crash is up to the store
   * and documented there.
   *
   * <p>The caller numbers the events ({@link RecordedEvent#seq()}) 1, 2, … without gaps, on resume
   * after the last recorded one, and appends them in that order (the engine numbers and appends
   * under one lock); readers rely on it ({@link RunStore#events(String, long)}).
   *
   * @throws dev.orchestra.OrchestraException when the event's number is not the next one (a gap or
   *     a number used before: nothing is recorded), the recorder is closed, or the store cannot be
   *     written
   */
  void append(RecordedEvent event);

  /** Opens the records of one attempt of one node; the caller closes it. */
  AttemptRecorder attempt(String node, int attempt);

  /** Writes the run's result ({@code result.json}) atomically and makes all records durable. */
  void finish(RunResult result);

  /** Flushes what is buffered and releases the run's lock. Idempotent. */
  @Override
  void close();
}
