package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Leases on runs: which process (which {@link SqlRunStore}, by its {@link SqlOptions#owner() owner
 * id}) runs a run, so that two servers on one database never run the same run, and so none of its
 * nodes, twice.
 *
 * <p><b>Semantics.</b> A lease is a pair of columns of the run's row: the owner and an expiry
 * ({@link SqlOptions#leaseTtl()} after it was taken or last renewed, by the owner's clock). At most
 * one owner holds a run at a time: every change is one conditional {@code UPDATE} of the row, which
 * the database serializes. A run's lease can be taken ({@link #claim}) when nobody holds it, when
 * it expired, or when the caller holds it already; {@link #takeOverExpired} claims, in one
 * statement, runs without a result whose lease expired (their holder died or lost the database for
 * longer than the lease) and, on PostgreSQL, uses {@code FOR UPDATE SKIP LOCKED} so that two
 * servers taking over at once divide those runs between them instead of waiting on each other. On
 * SQLite a write transaction excludes every other writer, which gives the same guarantee on one
 * machine.
 *
 * <p>The recorder {@link SqlRunStore#create} or {@link SqlRunStore#reopen} returns holds its run's
 * lease, renews it every third of the lease's duration and releases it on close. Every event it
 * appends is written only while the row still names its owner (the same statement checks it), so a
 * holder that stalled past its lease and lost the run cannot write into it after the new holder
 * began: its appends fail and its run ends failed ("lease lost"). A released run without a result
 * is interrupted: it is not taken over by {@link #takeOverExpired} (nobody died holding it), only
 * claimed on purpose, by a resume.
 *
 * <p>Owners' clocks must agree to well within the lease's duration (NTP does); the defaults, a 30 s
 * lease renewed every 10 s, tolerate seconds of skew and a stall of up to 20 s.
 *
 * <p>Thread-safe.
 */
public final class RunLeases {
  private final Database db;
  private final SqlOptions options;

  RunLeases(Database db, SqlOptions options) {
    this.db = db;
    this.options = options;
  }

  private long now() {
    return options.clock().millis();
  }

  private long expiry() {
    return now() + options.leaseTtl().toMillis();
  }

  /** The run's lease, or empty when nobody holds it (or there is no such run). */
  public Optional<Lease> lease(String runId) {
    return db.read(
        "read the lease of run " + runId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT lease_owner, lease_expires_ms FROM runs WHERE id = ?")) {
            s.setString(1, runId);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next() || r.getString(1) == null) {
                return Optional.empty();
              }
              return Optional.of(
                  new Lease(runId, r.getString(1), Instant.ofEpochMilli(r.getLong(2))));
            }
          }
        });
  }

  /**
   * Takes the run's lease for this store's owner when nobody holds it, its lease expired, or this
   * owner holds it already (then it is renewed). It lasts {@link SqlOptions#leaseTtl()}; renew it
   * or open the run with {@link SqlRunStore#reopen}, whose recorder renews it.
   *
   * @return whether this owner holds the lease now
   */
  public boolean claim(String runId) {
    return db.transaction(
        "claim run " + runId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE runs SET lease_owner = ?, lease_expires_ms = ? WHERE id = ? AND"
                      + " (lease_owner IS NULL OR lease_expires_ms < ? OR lease_owner = ?)")) {
            s.setString(1, options.owner());
            s.setLong(2, expiry());
            s.setString(3, runId);
            s.setLong(4, now());
            s.setString(5, options.owner());
            return s.executeUpdate() == 1;
          }
        });
  }

  /**
   * Extends this owner's lease by {@link SqlOptions#leaseTtl()} from now.
   *
   * @return whether this owner still held it; {@code false} means another owner took the run over
   *     (or it was released) and this one must stop working on it
   */
  public boolean renew(String runId) {
    return db.transaction(
        "renew the lease of run " + runId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE runs SET lease_expires_ms = ? WHERE id = ? AND lease_owner = ?")) {
            s.setLong(1, expiry());
            s.setString(2, runId);
            s.setString(3, options.owner());
            return s.executeUpdate() == 1;
          }
        });
  }

  /** Gives up this owner's lease of the run; does nothing when it holds none. */
  public void release(String runId) {
    db.transaction(
        "release the lease of run " + runId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL"
                      + " WHERE id = ? AND lease_owner = ?")) {
            s.setString(1, runId);
            s.setString(2, options.owner());
            return s.executeUpdate();
          }
        });
  }

  /**
   * Claims up to {@code limit} runs that have no result, or whose latest session did not end (a
   * resume cut short), and whose lease expired, oldest first: what a server does periodically to
   * resume the runs of a server that died. Of servers calling it at once, each run goes to exactly
   * one.
   *
   * @return the ids of the runs this owner holds now; resume each with {@link SqlRunStore#reopen}
   *     before its lease expires
   */
  public List<String> takeOverExpired(int limit) {
    return takeOver(limit, true);
  }

  /**
   * Claims up to {@code limit} runs that have no result, or whose latest session did not end, and
   * whose lease another owner holds, expired or not: for the one process that may use the database
   * ({@link SqlRunStore#soleUse()}, SQLite's server), which knows that any other owner died without
   * releasing its runs, so it need not wait out their leases.
   *
   * @return the ids of the runs this owner holds now, as {@link #takeOverExpired}
   */
  public List<String> takeOverOthers(int limit) {
    return takeOver(limit, false);
  }

  private List<String> takeOver(int limit, boolean expiredOnly) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    // The lease that may be taken: expired before now, or any other owner's.
    String held = expiredOnly ? "lease_expires_ms < ?" : "lease_owner <> ?";
    return db.transaction(
        expiredOnly ? "take over runs with expired leases" : "take over the runs of dead owners",
        c -> {
          List<String> ids = new ArrayList<>();
          Object bound = expiredOnly ? (Object) now() : options.owner(); // the ? of held
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT id FROM runs WHERE (status IS NULL OR ended_status IS NULL)"
                      + " AND lease_owner IS NOT NULL AND "
                      + held
                      + " ORDER BY started_ns LIMIT ?"
                      + db.dialect().skipLocked())) {
            s.setObject(1, bound);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                ids.add(r.getString(1));
              }
            }
          }
          List<String> claimed = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE runs SET lease_owner = ?, lease_expires_ms = ? WHERE id = ? AND "
                      + held)) {
            for (String id : ids) {
              s.setString(1, options.owner());
              s.setLong(2, expiry());
              s.setString(3, id);
              s.setObject(4, bound);
              if (s.executeUpdate() == 1) {
                claimed.add(id);
              }
            }
          }
          return claimed;
        });
  }

  /** The message for a run another owner holds. */
  static OrchestraException held(String runId, Lease lease) {
    return new OrchestraException(
        "run "
            + runId
            + " is held by "
            + lease.owner()
            + " until "
            + lease.expires()
            + " (its lease); wait for that process to end it, or for the lease to expire if that"
            + " process died, then try again");
  }
}
