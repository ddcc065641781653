package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.server.github.GitHubEvents.Outcome;
import dev.orchestra.server.github.PullRequestTriggers.Candidate;
import dev.orchestra.server.github.PullRequestTriggers.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What a verified {@code check_run} or {@code check_suite} delivery with the action {@code
 * rerequested} does (docs/github.md#re-runs). GitHub's <i>Re-run</i> of one of Orchestra's check
 * runs starts that workflow again on the pull request's head; <i>Re-run all checks</i> (the check
 * suite) starts every workflow that the pull request starts. Each new run gets a new check run
 * (GitHub reopens no completed one), and passes the gate of a push ({@link
 * PullRequestTriggers#admit}): a fork's head, or one whose pull request's author is below {@code
 * run_without_approval}, waits for an approval of that head again.
 *
 * <p>Nothing starts, and the reason is the delivery's decision (which the server logs), when the
 * requester ({@code sender}) has less than write permission; the check run or suite is not one this
 * server created (or the server sets commit statuses, having no check runs); the check run's commit
 * is no longer its pull request's head, or the pull request is closed; a pull request no longer
 * starts the workflow (the run of a comment command is re-run by commenting it again); or the
 * workflow's run on that head still runs. Called on the webhook's one thread.
 */
final class Rerequests {
  static final String ACTION = "rerequested";

  /** The events whose {@link #ACTION} is a re-run. */
  static final Set<String> EVENTS = Set.of("check_run", "check_suite");

  /**
   * Why {@code event} with {@code action} starts nothing, if it does not: one of {@link #EVENTS}
   * with an action other than {@link #ACTION} (an App is sent one for each check run it creates or
   * completes).
   */
  static Optional<String> notARerun(String event, String action) {
    return EVENTS.contains(event) && !ACTION.equals(action)
        ? Optional.of(event + " action '" + action + "' starts nothing")
        : Optional.empty();
  }

  private final PullRequestTriggers triggers;
  private final Optional<GitHubApi> api;
  private final Optional<CheckRuns> checkRuns;
  private final PullRequestRuns runs;
  private final Predicate<String> active;

  /**
   * @param checkRuns the App's check runs; empty in token mode, which re-runs nothing
   * @param active whether a run runs in this server now
   */
  Rerequests(
      PullRequestTriggers triggers,
      Optional<GitHubApi> api,
      Optional<CheckRuns> checkRuns,
      PullRequestRuns runs,
      Predicate<String> active) {
    this.triggers = triggers;
    this.api = api;
    this.checkRuns = checkRuns;
    this.runs = runs;
    this.active = active;
  }

  /** Handles {@code check_run} or {@code check_suite} {@code event} of an allowed repository. */
  Outcome handle(String event, JsonNode p, GitHubConfig.RepoPolicy policy) {
    Optional<String> notARerun = notARerun(event, p.path("action").asText(""));
    if (notARerun.isPresent()) {
      return Outcome.ignored(notARerun.get());
    }
    if (checkRuns.isEmpty()) {
      return Outcome.ignored(
          "this server sets commit statuses (a token in "
              + GitHubConfig.FILE
              + "), so no check run is Orchestra's: comment /orchestra run NAME to run again");
    }
    String repo = p.at("/repository/full_name").asText("");
    return event.equals("check_run") ? checkRun(p, repo, policy) : checkSuite(p, repo, policy);
  }

  private Outcome checkRun(JsonNode p, String repo, GitHubConfig.RepoPolicy policy) {
    JsonNode run = p.path("check_run");
    long id = run.path("id").asLong();
    Optional<CheckRuns.Entry> ours = checkRuns.get().find(repo, id);
    if (ours.isEmpty()) {
      return Outcome.ignored(
          "check run "
              + id
              + " ("
              + run.path("name").asText("")
              + ") is not one Orchestra created");
    }
    Optional<String> refused = refused(repo, p.at("/sender/login").asText(""));
    if (refused.isPresent()) {
      return Outcome.ignored(refused.get());
    }
    CheckRuns.Entry e = ours.get();
    // Entries written before the number was kept name none; GitHub lists no fork's pull request.
    int number =
        e.number() > 0 ? e.number() : run.path("pull_requests").path(0).path("number").asInt();
    return rerun(p.path("repository"), number, e.headSha(), Optional.of(e.workflow()), policy);
  }

  private Outcome checkSuite(JsonNode p, String repo, GitHubConfig.RepoPolicy policy) {
    JsonNode suite = p.path("check_suite");
    String sha = suite.path("head_sha").asText("");
    List<CheckRuns.Entry> ours = checkRuns.get().onHead(repo, sha);
    if (ours.isEmpty()) {
      return Outcome.ignored(
          "check suite "
              + suite.path("id").asLong()
              + " on "
              + sha
              + " holds no check run Orchestra created");
    }
    Optional<String> refused = refused(repo, p.at("/sender/login").asText(""));
    if (refused.isPresent()) {
      return Outcome.ignored(refused.get());
    }
    Set<Integer> numbers = new TreeSet<>();
    ours.stream().map(CheckRuns.Entry::number).filter(n -> n > 0).forEach(numbers::add);
    if (numbers.isEmpty()) {
      suite.path("pull_requests").forEach(pr -> numbers.add(pr.path("number").asInt()));
    }
    if (numbers.isEmpty()) {
      return rerun(p.path("repository"), 0, sha, Optional.empty(), policy);
    }
    List<Outcome> each = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (int n : numbers) {
      Outcome o = rerun(p.path("repository"), n, sha, Optional.empty(), policy);
      each.add(o);
      reasons.add(numbers.size() == 1 ? o.reason() : "#" + n + ": " + o.reason());
    }
    return new Outcome(
        strongest(each),
        String.join("; ", reasons),
        each.stream().flatMap(o -> o.runs().stream()).toList());
  }

  /** Why {@code sender} may not re-run checks on {@code repo}, if they may not. */
  private Optional<String> refused(String repo, String sender) {
    GitHubConfig.Permission perm = api.orElseThrow().permission(repo, sender);
    if (perm.atLeast(GitHubConfig.Permission.WRITE)) {
      return Optional.empty();
    }
    return Optional.of(
        sender
            + " has "
            + perm.wireName()
            + " permission on "
            + repo
            + "; re-running a check needs write");
  }

  /**
   * Starts {@code workflow} (empty: every workflow) of pull request {@code number} again on {@code
   * sha}, if that is still its head.
   */
  private Outcome rerun(
      JsonNode repository,
      int number,
      String sha,
      Optional<String> workflow,
      GitHubConfig.RepoPolicy policy) {
    if (number <= 0) {
      return Outcome.ignored(
          "no pull request is known for " + sha + ": Orchestra re-runs pull requests' checks");
    }
    String repo = repository.path("full_name").asText();
    JsonNode pr = api.orElseThrow().pull(repo, number);
    String state = pr.path("state").asText("open");
    if (!state.equals("open")) {
      return Outcome.ignored("#" + number + " is " + state + "; its checks are not re-run");
    }
    Target t = triggers.target(repository, pr, policy);
    if (!t.headSha().equals(sha)) {
      return Outcome.ignored(
          "the check is on "
              + sha
              + ", which is no longer the head of #"
              + number
              + " ("
              + t.headSha()
              + "): the checks of the new head ran on its push");
    }
    if (t.fork() && policy.forks() == GitHubConfig.ForkPolicy.IGNORE) {
      return Outcome.ignored(PullRequestTriggers.FORKS_IGNORED);
    }
    Map<String, Candidate> matching = new LinkedHashMap<>(triggers.candidates(t, null));
    workflow.ifPresent(
        w -> matching.values().removeIf(c -> !PullRequestTriggers.name(c).equals(w)));
    if (matching.isEmpty()) {
      return Outcome.ignored(
          workflow
              .map(
                  w ->
                      "no workflow named "
                          + w
                          + " in .orchestra/ of "
                          + t.baseRef()
                          + " runs for a pull request (a comment command's run is re-run by"
                          + " commenting /orchestra run NAME again)")
              .orElse("no workflow in .orchestra/ of " + t.baseRef() + " runs for #" + number));
    }
    List<String> running = new ArrayList<>();
    for (PullRequestRuns.Run r : runs.of(t.key())) {
      if (r.target().headSha().equals(sha)
          && active.test(r.runId())
          && matching.values().removeIf(c -> PullRequestTriggers.name(c).equals(r.workflow()))) {
        running.add(r.workflow() + " (run " + r.runId() + ")");
      }
    }
    String still = running.isEmpty() ? "" : "still running on " + sha + ": " + running;
    if (matching.isEmpty()) {
      return Outcome.ignored(still);
    }
    // The head's code is its author's: the gate asks about them, not about who asked to re-run.
    Outcome o = triggers.admit(t, pr.at("/user/login").asText(""), matching, policy);
    return still.isEmpty()
        ? o
        : new Outcome(o.decision(), o.reason() + "; " + still + ", not re-run", o.runs());
  }

  /** The decision of several pull requests' re-runs: the one that did the most. */
  private static Delivery.Decision strongest(List<Outcome> each) {
    for (Delivery.Decision d :
        List.of(
            Delivery.Decision.ACCEPTED,
            Delivery.Decision.AWAITING_APPROVAL,
            Delivery.Decision.FAILED)) {
      if (each.stream().anyMatch(o -> o.decision() == d)) {
        return d;
      }
    }
    return Delivery.Decision.IGNORED;
  }
}
