package dev.orchestra.server.runs;

import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One page of {@code GET /runs}: the runs that pass the filters, newest first (the latest start,
 * then the greater id), after a cursor that names the last run of the previous page (keyset paging:
 * a run started while a client pages neither shifts the pages nor shows twice). Reads the store's
 * whole listing for each page; the store's own paged query replaces this when it lands ({@code
 * RunStore.list(RunQuery)}, branch sql-store), with the same cursor semantics. Stateless.
 */
public final class RunListing {
  private static final Comparator<RunSummary> NEWEST_FIRST =
      Comparator.comparing(RunSummary::started).thenComparing(RunSummary::id).reversed();

  private RunListing() {}

  /**
   * The filters of a listing.
   *
   * @param statuses the statuses to show ({@link RunSnapshots#status} words); empty for all
   * @param workflow the workflow to show, or {@code null}
   * @param since the earliest start shown (inclusive), or {@code null}
   * @param until the start from which on runs are not shown (exclusive), or {@code null}
   * @param limit the most runs on the page
   * @param after the cursor of the previous page, or {@code null}
   */
  public record Query(
      Set<String> statuses,
      String workflow,
      Instant since,
      Instant until,
      int limit,
      Cursor after) {}

  /** Where a page ended: the start and id of its last run. */
  public record Cursor(Instant started, String id) {
    /** The cursor as an opaque URL-safe token. */
    public String token() {
      String plain = "c1:" + started.getEpochSecond() + ":" + started.getNano() + ":" + id;
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a {@link #token()}; empty when {@code token} is not one. */
    public static Optional<Cursor> parse(String token) {
      try {
        String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        String[] parts = plain.split(":", 4);
        if (parts.length == 4 && parts[0].equals("c1") && RunIds.isValid(parts[3])) {
          return Optional.of(
              new Cursor(
                  Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])),
                  parts[3]));
        }
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        // Not base64, or numbers out of range: not a cursor of ours.
      }
      return Optional.empty();
    }

    boolean precedes(RunSummary run) {
      int byTime = run.started().compareTo(started);
      return byTime < 0 || byTime == 0 && run.id().compareTo(id) < 0;
    }
  }

  /** A page and the cursor of the next one (empty on the last page). */
  public record Page(List<RunSummary> runs, Optional<Cursor> next) {}

  /**
   * The page of {@code query}; {@code active} says which runs this server runs (a run no process
   * holds and without a result is {@code interrupted}).
   */
  public static Page page(RunStore store, Query query, Set<String> active) {
    List<RunSummary> matching =
        store.list().stream()
            .filter(r -> query.statuses().isEmpty() || query.statuses().contains(status(r, active)))
            .filter(r -> query.workflow() == null || query.workflow().equals(r.workflow()))
            .filter(r -> query.since() == null || !r.started().isBefore(query.since()))
            .filter(r -> query.until() == null || r.started().isBefore(query.until()))
            .filter(r -> query.after() == null || query.after().precedes(r))
            .sorted(NEWEST_FIRST)
            .limit(query.limit() + 1L)
            .toList();
    if (matching.size() <= query.limit()) {
      return new Page(matching, Optional.empty());
    }
    List<RunSummary> page = matching.subList(0, query.limit());
    RunSummary last = page.get(page.size() - 1);
    return new Page(page, Optional.of(new Cursor(last.started(), last.id())));
  }

  static String status(RunSummary r, Set<String> active) {
    if (active.contains(r.id())) {
      return "running"; // resumed: a result on file is an earlier session's
    }
    if (r.status() != null) {
      return r.status().wireName();
    }
    return r.active() ? "running" : "interrupted";
  }
}
