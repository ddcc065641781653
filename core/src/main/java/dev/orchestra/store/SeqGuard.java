package dev.orchestra.store;

import dev.orchestra.OrchestraException;

/**
 * The rule of {@link RunRecorder#append}: events are numbered 1, 2, … without gaps. For stores that
 * keep the last number in memory; not thread-safe (recorders call it under their lock).
 */
public final class SeqGuard {
  private final String runId;
  private long last;
  private boolean started;

  /** A guard for a run whose last recorded event is numbered {@code last} (0: none). */
  public SeqGuard(String runId, long last) {
    this(runId, last, true);
  }

  private SeqGuard(String runId, long last, boolean started) {
    this.runId = runId;
    this.last = last;
    this.started = started;
  }

  /**
   * A guard for the provisional numbers of one node of a planned run ({@link
   * PlannedRunStore#recordNode}): the first event may take any number from 1 (the process numbers
   * after the events it read, which other nodes' processes may be adding to), the events after it
   * follow without gaps.
   */
  public static SeqGuard provisional(String runId) {
    return new SeqGuard(runId, 0, false);
  }

  /** The number of the last event accepted. */
  public long last() {
    return last;
  }

  /**
   * Checks that {@code seq} is the next number, without taking it.
   *
   * @throws OrchestraException naming both numbers when it is not
   */
  public void check(long seq) {
    if (started ? seq != last + 1 : seq < 1) {
      throw new OrchestraException(
          "run "
              + runId
              + ": event "
              + seq
              + " cannot follow event "
              + last
              + "; events are numbered 1, 2, … without gaps (nothing was recorded)");
    }
  }

  /** Takes {@code seq}, which {@link #check} accepted, as the last number. */
  public void accept(long seq) {
    last = seq;
    started = true;
  }
}
