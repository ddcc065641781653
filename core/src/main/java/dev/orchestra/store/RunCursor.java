package dev.orchestra.store;

import dev.orchestra.OrchestraException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of a run listing ended ({@link RunPage#next()}): the start time and id of its last
 * run. The next page holds the runs that come after it, newest first ({@link
 * RunSummary#NEWEST_FIRST}), so a run created while someone pages is neither shown twice nor shifts
 * the pages (keyset paging).
 *
 * <p>Front ends pass it around as an opaque {@link #token()} (a server's {@code next} field, a
 * {@code ?after=} parameter); {@link #parse} reads it back.
 *
 * @param started the start time of the last run of the page
 * @param id the id of the last run of the page
 */
public record RunCursor(Instant started, String id) {
  private static final String VERSION = "r1";

  public RunCursor {
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(id, "id");
  }

  /** The cursor just after {@code run}. */
  public static RunCursor after(RunSummary run) {
    return new RunCursor(run.started(), run.id());
  }

  /** The cursor as a URL-safe string. */
  public String token() {
    String plain = VERSION + ":" + started.getEpochSecond() + ":" + started.getNano() + ":" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a {@link #token()}.
   *
   * @throws OrchestraException naming the token when it is not one
   */
  public static RunCursor parse(String token) {
    try {
      String plain =
          new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
      String[] parts = plain.split(":", 4);
      if (parts.length == 4 && parts[0].equals(VERSION) && RunIds.isValid(parts[3])) {
        return new RunCursor(
            Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])), parts[3]);
      }
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // Not base64 or numbers out of range: the same answer as any other stranger.
    }
    throw new OrchestraException(
        "'"
            + token
            + "' is not the cursor of a run listing; pass the 'next' of the previous page"
            + " unchanged, or leave it out for the first page");
  }

  /** Whether {@code run} comes after this cursor in a listing newest first. */
  public boolean precedes(RunSummary run) {
    int byTime = run.started().compareTo(started);
    return byTime < 0 || byTime == 0 && run.id().compareTo(id) < 0;
  }
}
