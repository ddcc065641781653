package dev.orchestra.store.sql;

import java.time.Instant;

/**
 * Who holds a run ({@link RunLeases}) and until when.
 *
 * @param runId the run
 * @param owner the holder's owner id ({@link SqlOptions#owner()})
 * @param expires when the lease ends unless its holder renews it
 */
public record Lease(String runId, String owner, Instant expires) {

  /** Whether the lease has ended at {@code now}: anyone may take the run over. */
  public boolean expiredAt(Instant now) {
    return expires.isBefore(now);
  }
}
