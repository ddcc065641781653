package dev.orchestra.server.github;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.event.RunStatus;
import dev.orchestra.server.http.Json;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub App mode's {@link HeadChecks}: a check run named after the workflow on the head. A run's
 * check run is created {@code in_progress} (linking to the run) when it starts and completed with
 * {@code success}, {@code failure} or {@code cancelled} and the DAG's table when it ends; a head
 * waiting for approval gets one completed {@code action_required} (again only once a later check
 * run of the workflow replaced it on that head: a re-run that waits again). GitHub does not reopen
 * a completed check run, so the run an approval or a re-run starts gets a new one, which the pull
 * request shows in place of the one before.
 *
 * <p>The ids are kept in {@code check-runs.json} ({@link StateFile}; entries untouched for {@link
 * #KEEP} dropped), so a run's check run is updated, never created twice, also after a restart, and
 * a check run GitHub asks to re-run ({@link Rerequests}) is known by its id as one of Orchestra's.
 * Thread-safe: calls about one check run are serialized (striped locks), others proceed.
 */
final class CheckRuns implements HeadChecks {
  /** How long an entry is kept after its last change. */
  static final Duration KEEP = Duration.ofDays(30);

  /** GitHub's limit on {@code output.summary}. */
  private static final int MAX_SUMMARY = 65_535;

  private final GitHubApi api;
  private final StateFile<Map<String, Entry>> file;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[16];

  /**
   * One check run.
   *
   * @param number the pull request's number (0 in entries written before it was kept)
   * @param runId the run it shows, or null for a head waiting for approval or a workflow that did
   *     not start
   */
  record Entry(
      long id,
      String repository,
      int number,
      String headSha,
      String workflow,
      String runId,
      boolean completed,
      Instant updated) {}

  CheckRuns(GitHubApi api, Path file, Clock clock) {
    this.api = api;
    this.file = new StateFile<>(file, new TypeReference<>() {});
    this.clock = clock;
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
    this.file.read().ifPresent(entries::putAll);
  }

  @Override
  public void waiting(Check c, String why) {
    String key =
        "approval "
            + c.repository().toLowerCase(Locale.ROOT)
            + "@"
            + c.headSha()
            + " "
            + c.workflow();
    synchronized (stripe(key)) {
      Entry shown = entries.get(key);
      if (shown != null && newest(c).filter(e -> e.id() != shown.id()).isEmpty()) {
        // Shown already and still the newest, and a completed check run cannot change.
        return;
      }
      ObjectNode body =
          completed(
              "action_required",
              "Waiting for approval",
              why
                  + ".\n\nSomeone with the repository's `approve` permission approves this commit"
                  + " by commenting `/orchestra approve` on the pull request.");
      put(key, entry(c, create(c, null, body), null, true));
    }
  }

  @Override
  public void notStarted(Check c, String problem) {
    long id = create(c, null, completed("failure", "Not started", problem));
    // Kept so that a re-run of it is known as Orchestra's.
    put("not-started " + id, entry(c, id, null, true));
  }

  /** Orchestra's check run {@code id} on {@code repo}, if this server created it. */
  Optional<Entry> find(String repo, long id) {
    return entries.values().stream()
        .filter(e -> e.id() == id && e.repository().equalsIgnoreCase(repo))
        .findFirst();
  }

  /** Orchestra's check runs on commit {@code sha} of {@code repo}. */
  List<Entry> onHead(String repo, String sha) {
    return entries.values().stream()
        .filter(e -> e.headSha().equals(sha) && e.repository().equalsIgnoreCase(repo))
        .toList();
  }

  /** The check run of {@code c}'s workflow on its head changed last, which GitHub shows. */
  private Optional<Entry> newest(Check c) {
    return onHead(c.repository(), c.headSha()).stream()
        .filter(e -> e.workflow().equals(c.workflow()))
        .max(Comparator.comparing(Entry::updated).thenComparingLong(Entry::id));
  }

  @Override
  public void running(Check c, String runId, URI link) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("status", "in_progress");
    body.put("started_at", clock.instant().toString());
    body.putObject("output").put("title", "Running").put("summary", "Run `" + runId + "` runs.");
    update(c, runId, link, body, false);
  }

  @Override
  public void finished(Check c, String runId, RunStatus status, URI link, String summary) {
    String conclusion =
        status == null
            ? "failure"
            : switch (status) {
              case SUCCEEDED -> "success";
              case CANCELLED -> "cancelled";
              default -> "failure";
            };
    String title = status == null ? "Run ended, no result recorded" : "Run " + status.wireName();
    update(c, runId, link, completed(conclusion, title, summary), true);
  }

  /** Updates the check run of {@code runId}, creating it when there is none (or GitHub lost it). */
  private void update(Check c, String runId, URI link, ObjectNode body, boolean completes) {
    String key = "run " + runId;
    if (link != null) {
      body.put("details_url", link.toString());
    }
    synchronized (stripe(key)) {
      Entry e = entries.get(key);
      long id;
      if (e != null && e.completed()) {
        // Reported already (a repeated end): a completed check run cannot change.
        return;
      } else if (e != null && api.updateCheckRun(c.repository(), e.id(), body)) {
        id = e.id();
      } else {
        id = create(c, runId, body);
      }
      put(key, entry(c, id, runId, completes));
    }
  }

  private Entry entry(Check c, long id, String runId, boolean completed) {
    return new Entry(
        id,
        c.repository(),
        c.number(),
        c.headSha(),
        c.workflow(),
        runId,
        completed,
        clock.instant());
  }

  private long create(Check c, String runId, ObjectNode fields) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", c.workflow());
    body.put("head_sha", c.headSha());
    if (runId != null) {
      body.put("external_id", runId);
    }
    body.setAll(fields);
    return api.createCheckRun(c.repository(), body);
  }

  private ObjectNode completed(String conclusion, String title, String summary) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("status", "completed");
    body.put("conclusion", conclusion);
    body.put("completed_at", clock.instant().toString());
    String text =
        summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY - 1) + "…" : summary;
    body.putObject("output").put("title", title).put("summary", text);
    return body;
  }

  private Object stripe(String key) {
    return stripes[Math.floorMod(key.hashCode(), stripes.length)];
  }

  private void put(String key, Entry e) {
    entries.put(key, e);
    Instant oldest = clock.instant().minus(KEEP);
    entries.values().removeIf(x -> x.updated().isBefore(oldest));
    synchronized (entries) {
      file.write(Map.copyOf(entries));
    }
  }
}
