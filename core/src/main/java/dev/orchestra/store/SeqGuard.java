package dev.orchestra.store;

import dev.orchestra.OrchestraException;

/**
 * The rule of {@link RunRecorder#append}: events are numbered 1, 2, … without gaps. For stores that
 * keep the last number in memory; not thread-safe (recorders call it under their lock).
 */
public final class SeqGuard {
  private final String runId;
  private long last;

  /** A guard for a run whose last recorded event is numbered {@code last} (0: none). */
  public SeqGuard(String runId, long last) {
    this.runId = runId;
    this.last = last;
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
    if (seq != last + 1) {
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
  }
}
