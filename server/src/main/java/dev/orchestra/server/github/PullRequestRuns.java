package dev.orchestra.server.github;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The runs started for pull requests and each pull request's latest head, kept in {@code runs.json}
 * ({@link StateFile}: on disk before a change is acted on), so that a restarted server still
 * cancels the runs of a superseded head and reports the end of the runs it resumed, and a late end
 * of a superseded run does not put its old head back into the pull request's comment.
 *
 * <p>A run is dropped once its end was reported, it runs no more and its head is no longer the pull
 * request's; beyond {@value #KEPT} runs the oldest ended ones go first. Thread-safe.
 */
final class PullRequestRuns {
  static final int KEPT = 1000;

  /**
   * A run started for a pull request.
   *
   * @param workflow the workflow's name (its commit status is {@code orchestra/NAME}, its check run
   *     {@code NAME})
   * @param target the pull request at the head it runs
   * @param reported whether its end was reported on GitHub
   */
  record Run(String runId, String workflow, PullRequestTriggers.Target target, boolean reported) {}

  /** The file's content. */
  record Saved(Map<String, String> heads, List<Run> runs) {}

  private final StateFile<Saved> file;
  private final Predicate<String> active;
  private final Map<String, String> heads = new LinkedHashMap<>();
  private final List<Run> runs = new ArrayList<>();

  /**
   * @param active whether a run runs in this server now (runs that do are never dropped)
   */
  PullRequestRuns(Path file, Predicate<String> active) {
    this.file = new StateFile<>(file, new TypeReference<Saved>() {});
    this.active = active;
    this.file
        .read()
        .ifPresent(
            s -> {
              heads.putAll(s.heads());
              runs.addAll(s.runs());
            });
  }

  /** Records that {@code t}'s head is its pull request's latest. */
  synchronized void head(PullRequestTriggers.Target t) {
    heads.remove(t.key());
    heads.put(t.key(), t.headSha());
    save();
  }

  /** Whether {@code t}'s head is its pull request's latest known one. */
  synchronized boolean isHead(PullRequestTriggers.Target t) {
    String head = heads.get(t.key());
    return head == null || head.equals(t.headSha());
  }

  /** Records run {@code runId} of {@code workflow} started for {@code t}, its end unreported. */
  synchronized Run add(PullRequestTriggers.Target t, String runId, String workflow) {
    Run run = new Run(runId, workflow, t, false);
    runs.add(run);
    // Its head was dropped with the pull request's last runs when none were left.
    heads.putIfAbsent(t.key(), t.headSha());
    save();
    return run;
  }

  /** The runs started for pull request {@code key} ({@code owner/name#N}), oldest first. */
  synchronized List<Run> of(String key) {
    return runs.stream().filter(r -> r.target().key().equals(key)).toList();
  }

  /** The runs whose end was not reported yet. */
  synchronized List<Run> unreported() {
    return runs.stream().filter(r -> !r.reported()).toList();
  }

  /** Records that the end of run {@code runId} was reported. */
  synchronized void reported(String runId) {
    runs.replaceAll(
        r -> r.runId().equals(runId) ? new Run(r.runId(), r.workflow(), r.target(), true) : r);
    save();
  }

  private void save() {
    runs.removeIf(
        r ->
            r.reported()
                && !r.target().headSha().equals(heads.get(r.target().key()))
                && !active.test(r.runId()));
    for (Iterator<Run> it = runs.iterator(); runs.size() > KEPT && it.hasNext(); ) {
      Run r = it.next();
      if (r.reported() && !active.test(r.runId())) {
        it.remove();
      }
    }
    heads.keySet().removeIf(k -> runs.stream().noneMatch(r -> r.target().key().equals(k)));
    file.write(new Saved(new LinkedHashMap<>(heads), new ArrayList<>(runs)));
  }
}
