package dev.orchestra.store;

/** A watch for decisions ({@link RunStore#watchDecisions}); closing it ends the notifications. */
public interface DecisionWatch extends AutoCloseable {

  /**
   * Ends the watch: decisions recorded after this returns are not reported (one recorded before may
   * still be, late). Idempotent; does not block.
   */
  @Override
  void close();
}
