package dev.orchestra.server.github;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One webhook request and what the server decided about it, as {@code GET /api/v1/deliveries} shows
 * it. {@code verified} is whether its signature matched: only a verified delivery's id counts for
 * replays, so a forged request cannot make the server refuse the real delivery of that id.
 *
 * @param id the {@code X-GitHub-Delivery} header (empty when there was none)
 * @param event the {@code X-GitHub-Event} header
 * @param action the payload's {@code action}, when verified and present
 * @param repository {@code owner/name}, when verified
 * @param sender the payload's {@code sender.login}, when verified
 * @param decision what was done: {@link Decision}
 * @param reason why, in words
 * @param runs the ids of the runs started for it
 */
public record Delivery(
    String id,
    String event,
    String action,
    String repository,
    String sender,
    Instant receivedAt,
    boolean verified,
    Decision decision,
    String reason,
    List<String> runs) {
  public Delivery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(decision, "decision");
    runs = List.copyOf(runs);
  }

  /** The same delivery, decided. */
  public Delivery decided(Decision d, String why, List<String> started) {
    return new Delivery(
        id, event, action, repository, sender, receivedAt, verified, d, why, started);
  }

  /** What the server did with a delivery. */
  public enum Decision {
    /** Verified, being handled. */
    RECEIVED,
    /** Runs were started (or none matched, see the reason). */
    ACCEPTED,
    /** Runs wait for a maintainer's approval. */
    AWAITING_APPROVAL,
    /** Nothing to do: an event or action not handled, no workflow matching, a policy refusal. */
    IGNORED,
    /** A delivery id seen before: nothing done again. */
    REPLAY,
    /** The signature did not match (or there was none): nothing done. */
    REJECTED,
    /** The payload was over the limit: nothing done. */
    TOO_LARGE,
    /** Handling failed; see the reason and the server's log. */
    FAILED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    static Decision of(String wire) {
      return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
