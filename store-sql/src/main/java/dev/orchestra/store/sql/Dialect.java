package dev.orchestra.store.sql;

import java.util.Locale;

/** The databases the SQL store speaks, and the little SQL that differs between them. */
enum Dialect {
  /** Embedded, one file; one writer at a time (WAL lets readers go on while it writes). */
  SQLITE("jdbc:sqlite:", ""),
  /** A server; rows a transaction claims are locked, and others skip them. */
  POSTGRESQL("jdbc:postgresql:", " FOR UPDATE SKIP LOCKED");

  private final String prefix;
  private final String skipLocked;

  Dialect(String prefix, String skipLocked) {
    this.prefix = prefix;
    this.skipLocked = skipLocked;
  }

  /** The dialect of a JDBC URL, or {@code null} when it is neither. */
  static Dialect of(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    for (Dialect d : values()) {
      if (lower.startsWith(d.prefix)) {
        return d;
      }
    }
    return null;
  }

  /**
   * What ends a {@code SELECT} whose rows the transaction is about to claim: PostgreSQL locks them
   * and lets concurrent claimers skip to other rows; SQLite has one writer at a time, so a write
   * transaction ({@code BEGIN IMMEDIATE}) excludes the others already.
   */
  String skipLocked() {
    return skipLocked;
  }
}
