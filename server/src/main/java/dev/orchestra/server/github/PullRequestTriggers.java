package dev.orchestra.server.github;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.event.RunStatus;
import dev.orchestra.git.RepoMirror;
import dev.orchestra.secret.Credentials;
import dev.orchestra.server.api.Api;
import dev.orchestra.server.auth.Scope;
import dev.orchestra.server.http.ApiException;
import dev.orchestra.server.http.Json;
import dev.orchestra.server.runs.RunSnapshots;
import dev.orchestra.server.runs.RunSupervisor;
import dev.orchestra.state.NodeState;
import dev.orchestra.state.RunState;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Triggers;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.WorkspaceSpec;
import dev.orchestra.workflow.parse.WorkflowText;
import dev.orchestra.workflow.validate.ValidationOptions;
import dev.orchestra.workflow.validate.Workflows;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a verified {@code pull_request} or {@code issue_comment} delivery does (docs/github.md);
 * GitHub's re-runs go to {@link Rerequests}, which starts them through {@link #admit}.
 *
 * <p>The workflows are the {@code .orchestra/*.yaml} files of the pull request's <b>base</b> branch
 * (a pull request cannot change what runs), those whose {@code on.pull_request} matches the base
 * branch and the changed paths, or whose {@code on.comment.command} is the commented command. Each
 * runs {@link Trust#UNTRUSTED} on a clone of the head at the event's exact SHA, pushing nothing.
 *
 * <p>A pull request from a fork, or by an actor whose permission is below the repository's {@code
 * run_without_approval}, starts nothing: it waits for an approval bound to its head SHA ({@code
 * /orchestra approve} by someone with the {@code approve} permission, or {@code POST
 * /api/v1/github/approvals/{id}/approve} with that SHA). A new push drops the waiting approval and
 * asks again, and (with {@code cancel_superseded}) cancels the runs of the older head. Nothing runs
 * while waiting, so no credential reaches it.
 *
 * <p>Each run's start and end show on its head through {@link HeadChecks} (a commit status {@code
 * orchestra/WORKFLOW} with a token, a check run as a GitHub App), and the pull request's one
 * comment (found by {@value #MARKER}) is written or edited with the latest run of each workflow on
 * the current head. The runs are kept in {@link PullRequestRuns}, so after a restart {@link
 * #recover()} reports the end of those resumed and a push still cancels the superseded ones.
 * Thread-safe.
 */
public final class PullRequestTriggers implements GitHubEvents {
  private static final Logger LOG = LoggerFactory.getLogger(PullRequestTriggers.class);

  /** The hidden marker of the pull request's comment. */
  public static final String MARKER = "<!-- orchestra:pull-request -->";

  static final Set<String> PR_ACTIONS = Set.of("opened", "synchronize", "reopened", "labeled");
  private static final Pattern RUN =
      Pattern.compile("/orchestra\\s+run\\s+(\\S+)((?:\\s+\\S+)*)\\s*");
  private static final Pattern APPROVE = Pattern.compile("/orchestra\\s+approve\\s*");
  private static final long MAX_WORKFLOW_BYTES = 1024 * 1024;

  private final Optional<GitHubConfig> config;
  private final GitHubAuth auth;
  private final Optional<GitHubApi> api;
  private final Optional<HeadChecks> checks;
  private final RunSupervisor supervisor;
  private final RunStore store;
  private final Path dir;
  private final Clock clock;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final StateFile<List<Pending>> pendingFile;
  private final PullRequestRuns runs;
  private final Rerequests rerequests;

  public PullRequestTriggers(
      Optional<GitHubConfig> config,
      Credentials credentials,
      RunSupervisor supervisor,
      RunStore store,
      Path dir,
      Clock clock) {
    this.config = config;
    this.auth =
        config
            .map(c -> GitHubAuth.of(c, credentials, clock))
            .orElse(repo -> Optional.<String>empty());
    this.api = config.map(c -> new GitHubApi(c.apiUrl(), auth, clock));
    Optional<CheckRuns> checkRuns =
        config
            .filter(GitHubConfig::appMode)
            .map(c -> new CheckRuns(api.get(), dir.resolve("check-runs.json"), clock));
    this.checks =
        config.map(c -> checkRuns.isPresent() ? checkRuns.get() : new CommitStatuses(api.get()));
    this.supervisor = supervisor;
    this.store = store;
    this.dir = dir;
    this.clock = clock;
    this.pendingFile = new StateFile<>(dir.resolve("pending.json"), new TypeReference<>() {});
    pendingFile.read().ifPresent(all -> all.forEach(p -> pending.put(p.id(), p)));
    this.runs = new PullRequestRuns(dir.resolve("runs.json"), supervisor::isActive);
    this.rerequests = new Rerequests(this, api, checkRuns, runs, supervisor::isActive);
  }

  /** A pull request's head waiting for an approval. */
  public record Pending(
      String id,
      String repository,
      int number,
      String headSha,
      String baseRef,
      String cloneUrl,
      String actor,
      boolean fork,
      String command,
      Map<String, String> inputs,
      List<String> workflows,
      Instant since) {}

  /** What a delivery is about: one pull request at one head. */
  record Target(
      String repository,
      int number,
      String headSha,
      String baseRef,
      String cloneUrl,
      boolean fork) {
    String key() {
      return repository.toLowerCase(Locale.ROOT) + "#" + number;
    }
  }

  public void register(RoutesConfig routes) {
    routes.get(Api.V1 + "/github/approvals", this::listPending, Scope.READ);
    routes.post(Api.V1 + "/github/approvals/{id}/approve", this::approveRoute, Scope.RUN);
  }

  private void listPending(Context ctx) {
    Json.send(ctx, 200, Map.of("approvals", new ArrayList<>(pending.values())));
  }

  private void approveRoute(Context ctx) {
    String id = ctx.pathParam("id");
    String sha = Json.text(Json.object(ctx), "head_sha");
    Pending p = pending.get(id);
    if (p == null) {
      throw ApiException.notFound(
          "no pull request waits for approval '" + id + "'; GET " + Api.V1 + "/github/approvals");
    }
    if (sha == null || !sha.equals(p.headSha())) {
      throw ApiException.conflict(
          "approval '"
              + id
              + "' is for head "
              + p.headSha()
              + "; send {\"head_sha\": \""
              + p.headSha()
              + "\"} to approve exactly that commit");
    }
    String by = dev.orchestra.server.auth.Access.principal(ctx).name();
    Json.send(ctx, 202, Map.of("runs", approve(p, "token " + by)));
  }

  @Override
  public Outcome handle(String event, JsonNode payload, Delivery delivery) {
    GitHubConfig c = config.orElseThrow();
    String repo = payload.at("/repository/full_name").asText("");
    Optional<GitHubConfig.RepoPolicy> policy = c.policy(repo);
    if (policy.isEmpty()) {
      return Outcome.ignored("repository '" + repo + "' is not in " + GitHubConfig.FILE);
    }
    return switch (event) {
      case "pull_request" -> pullRequest(payload, policy.get());
      case "check_run", "check_suite" -> rerequests.handle(event, payload, policy.get());
      default -> comment(payload, policy.get());
    };
  }

  private Outcome pullRequest(JsonNode p, GitHubConfig.RepoPolicy policy) {
    String action = p.path("action").asText("");
    if (!PR_ACTIONS.contains(action)) {
      return Outcome.ignored("pull_request action '" + action + "' starts nothing");
    }
    JsonNode pr = p.path("pull_request");
    Target t = target(p.path("repository"), pr, policy);
    String actor = p.at("/sender/login").asText("");
    runs.head(t);
    if (policy.cancelSuperseded()) {
      cancelSuperseded(t);
    }
    pending
        .values()
        .removeIf(
            w ->
                w.repository().equalsIgnoreCase(t.repository())
                    && w.number() == t.number()
                    && !w.headSha().equals(t.headSha()));
    writePending();
    if (t.fork() && policy.forks() == GitHubConfig.ForkPolicy.IGNORE) {
      return Outcome.ignored(FORKS_IGNORED);
    }
    Map<String, Candidate> matching = candidates(t, null);
    if (matching.isEmpty()) {
      return Outcome.ignored(
          "no workflow in .orchestra/ of " + t.baseRef() + " runs for this pull request");
    }
    return admit(t, actor, matching, policy);
  }

  static final String FORKS_IGNORED = "pull requests from forks are ignored (forks: ignore)";

  /**
   * Starts {@code matching} on {@code t} at once, or, for a fork's head or an {@code actor} (whose
   * code the head is) below the policy's {@code run_without_approval}, has them wait for an
   * approval of that head: the gate of every pull request's run, pushed or re-run.
   */
  Outcome admit(
      Target t, String actor, Map<String, Candidate> matching, GitHubConfig.RepoPolicy policy) {
    GitHubConfig.Permission perm = api().permission(t.repository(), actor);
    if (t.fork() || !perm.atLeast(policy.runWithoutApproval())) {
      return await(t, actor, null, Map.of(), matching, perm);
    }
    return start(t, matching, Map.of());
  }

  private Outcome comment(JsonNode p, GitHubConfig.RepoPolicy policy) {
    if (!p.path("action").asText("").equals("created")
        || p.at("/issue/pull_request").isMissingNode()) {
      return Outcome.ignored("not a new comment on a pull request");
    }
    String text = p.at("/comment/body").asText("").strip();
    String user = p.at("/comment/user/login").asText("");
    String repo = p.at("/repository/full_name").asText("");
    int number = p.at("/issue/number").asInt();
    boolean approve = APPROVE.matcher(text).matches();
    var run = RUN.matcher(text);
    if (!approve && !run.matches()) {
      return Outcome.ignored("the comment is no /orchestra command");
    }
    GitHubConfig.Permission perm = api().permission(repo, user);
    if (approve) {
      if (!perm.atLeast(policy.approve())) {
        return Outcome.ignored(
            user
                + " has "
                + perm.wireName()
                + " permission; approving needs "
                + policy.approve().wireName());
      }
      JsonNode pr = api().pull(repo, number);
      Target t = target(p.path("repository"), pr, policy);
      Optional<Pending> w =
          pending.values().stream()
              .filter(x -> x.repository().equalsIgnoreCase(repo) && x.number() == number)
              .findFirst();
      if (w.isEmpty()) {
        return Outcome.ignored("nothing waits for approval on #" + number);
      }
      if (!w.get().headSha().equals(t.headSha())) {
        return Outcome.ignored(
            "the waiting approval is for "
                + w.get().headSha()
                + ", the head is now "
                + t.headSha()
                + "; the newer push asks again");
      }
      List<String> runs = approve(w.get(), user);
      return new Outcome(Delivery.Decision.ACCEPTED, "approved by " + user, runs);
    }
    if (!perm.atLeast(GitHubConfig.Permission.WRITE)) {
      return Outcome.ignored(
          user + " has " + perm.wireName() + " permission; /orchestra run needs write");
    }
    String command = run.group(1);
    Map<String, String> inputs = new LinkedHashMap<>();
    for (String kv : run.group(2).strip().split("\\s+")) {
      if (kv.isEmpty()) {
        continue;
      }
      int eq = kv.indexOf('=');
      if (eq < 1) {
        return Outcome.ignored("'" + kv + "' is not key=value; write /orchestra run NAME k=v");
      }
      inputs.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    JsonNode pr = api().pull(repo, number);
    Target t = target(p.path("repository"), pr, policy);
    Map<String, Candidate> matching = candidates(t, command);
    if (matching.isEmpty()) {
      return Outcome.ignored(
          "no workflow in .orchestra/ of " + t.baseRef() + " has on.comment.command " + command);
    }
    runs.head(t);
    return start(t, matching, inputs);
  }

  Target target(JsonNode repository, JsonNode pr, GitHubConfig.RepoPolicy policy) {
    String repo = repository.path("full_name").asText();
    String headRepo = pr.at("/head/repo/full_name").asText("");
    String clone =
        policy.cloneUrl() != null ? policy.cloneUrl() : repository.path("clone_url").asText();
    return new Target(
        repo,
        pr.path("number").asInt(),
        pr.at("/head/sha").asText(),
        pr.at("/base/ref").asText(),
        clone,
        !headRepo.equalsIgnoreCase(repo));
  }

  /** A workflow of the base branch that runs for the target. */
  record Candidate(String path, String text, Workflow workflow, String mirrorUrl) {}

  /**
   * The workflows of {@code t}'s base that its pull request starts (command null) or that comment
   * {@code /orchestra run COMMAND} starts, by file; fetches the mirror.
   */
  Map<String, Candidate> candidates(Target t, String command) {
    Path mirrorDir =
        dir.resolve("mirrors").resolve(t.repository().toLowerCase(Locale.ROOT) + ".git");
    Map<String, Candidate> out = new LinkedHashMap<>();
    synchronized (this) {
      try (RepoMirror mirror = RepoMirror.open(mirrorDir, t.cloneUrl())) {
        String base = "refs/heads/" + t.baseRef();
        String head = "refs/heads/orchestra/pr-" + t.number();
        mirror.fetch(
            List.of("+" + base + ":" + base, "+refs/pull/" + t.number() + "/head:" + head),
            cloneToken(t));
        mirror.head(base);
        String baseSha = mirror.resolve(base);
        if (mirror.resolve(t.headSha()) == null) {
          throw new OrchestraException(
              "head " + t.headSha() + " of #" + t.number() + " is not in " + t.cloneUrl());
        }
        List<String> changed = mirror.changedPaths(baseSha, t.headSha());
        Map<String, String> files =
            mirror.files(baseSha, ".orchestra", List.of(".yaml", ".yml"), MAX_WORKFLOW_BYTES);
        for (Map.Entry<String, String> f : files.entrySet()) {
          Workflow w;
          try {
            w =
                dev.orchestra.workflow.parse.WorkflowParser.create()
                    .parse(Path.of(f.getKey()), f.getValue())
                    .workflow();
          } catch (RuntimeException e) {
            LOG.warn(
                "{}: {} at {} cannot be read: {}",
                t.repository(),
                f.getKey(),
                baseSha,
                e.getMessage());
            continue;
          }
          if (w == null) {
            continue;
          }
          Triggers on = w.on();
          boolean runs =
              command == null
                  ? on.pullRequest() != null
                      && PathGlobs.matchesAny(on.pullRequest().branches(), List.of(t.baseRef()))
                      && PathGlobs.matchesAny(on.pullRequest().paths(), changed)
                  : on.comment() != null && command.equals(on.comment().command());
          if (runs) {
            out.put(f.getKey(), new Candidate(f.getKey(), f.getValue(), w, mirror.url()));
          }
        }
      }
    }
    return out;
  }

  /** The token the mirror's fetch sends (a private repository), if it may reach the clone URL. */
  private Optional<String> cloneToken(Target t) {
    GitHubConfig c = config.orElseThrow();
    return c.tokenGoesTo(t.cloneUrl()) ? auth.token(t.repository()) : Optional.empty();
  }

  private Outcome await(
      Target t,
      String actor,
      String command,
      Map<String, String> inputs,
      Map<String, Candidate> matching,
      GitHubConfig.Permission perm) {
    List<String> workflows = new ArrayList<>();
    Optional.ofNullable(pending.get(approvalId(t))).ifPresent(p -> workflows.addAll(p.workflows()));
    // A re-run of one workflow waiting on a head that waits already keeps the others waiting.
    matching.values().stream()
        .map(PullRequestTriggers::label)
        .filter(l -> !workflows.contains(l))
        .forEach(workflows::add);
    Pending w =
        new Pending(
            approvalId(t),
            t.repository(),
            t.number(),
            t.headSha(),
            t.baseRef(),
            t.cloneUrl(),
            actor,
            t.fork(),
            command,
            inputs,
            workflows,
            clock.instant());
    pending.put(w.id(), w);
    writePending();
    String why =
        (t.fork()
                ? "a pull request from a fork"
                : actor + " has " + perm.wireName() + " permission")
            + "; waits for an approval of "
            + t.headSha();
    for (Candidate c : matching.values()) {
      quietly(() -> checks().waiting(check(t, c), why));
    }
    quietly(
        () ->
            api()
                .upsertComment(
                    t.repository(),
                    t.number(),
                    MARKER,
                    MARKER
                        + "\n### Orchestra\n\nWorkflows wait for a maintainer's approval of `"
                        + t.headSha()
                        + "` ("
                        + why
                        + "): comment `/orchestra approve`.\n"));
    return new Outcome(Delivery.Decision.AWAITING_APPROVAL, why, List.of());
  }

  private List<String> approve(Pending w, String by) {
    if (pending.remove(w.id()) == null) {
      throw ApiException.conflict("approval '" + w.id() + "' was taken or dropped meanwhile");
    }
    writePending();
    Target t =
        new Target(w.repository(), w.number(), w.headSha(), w.baseRef(), w.cloneUrl(), w.fork());
    LOG.info("{}#{} at {} approved by {}", w.repository(), w.number(), w.headSha(), by);
    // What waited for the approval runs, not what the base has added meanwhile.
    Map<String, Candidate> approved = new LinkedHashMap<>(candidates(t, w.command()));
    approved.values().removeIf(c -> !w.workflows().contains(label(c)));
    return start(t, approved, w.inputs()).runs();
  }

  /** How a waiting approval lists a workflow: its name, else its file. */
  private static String label(Candidate c) {
    return c.workflow().name() != null ? c.workflow().name() : c.path();
  }

  private Outcome start(Target t, Map<String, Candidate> matching, Map<String, String> inputs) {
    List<String> ids = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Candidate c : matching.values()) {
      Workflow w;
      try {
        w =
            Workflows.load(
                Path.of(c.path()),
                c.text(),
                ValidationOptions.defaults().withInputs(inputs).withTrust(Trust.UNTRUSTED));
      } catch (InvalidWorkflowException e) {
        problems.add(c.path() + ": " + e.getMessage());
        quietly(() -> checks().notStarted(check(t, c), "invalid workflow: " + e.getMessage()));
        continue;
      }
      WorkspaceSpec ws = w.workspace();
      // The head at the event's exact SHA, from the server's mirror; nothing pushed, no credential.
      WorkspaceSpec pinned =
          new WorkspaceSpec(
              c.mirrorUrl(),
              t.headSha(),
              ws.isolation(),
              ws.branchPrefix(),
              false,
              null,
              null,
              ws.author());
      Optional<PinnedRun> run = pin(c, pinned, inputs);
      if (run.isEmpty()) {
        problems.add(c.path() + ": its workspace cannot be pinned to " + t.headSha());
        quietly(
            () -> checks().notStarted(check(t, c), "its workspace cannot be pinned to the head"));
        continue;
      }
      String id = supervisor.submit(run.get().workflow(), run.get().text(), inputs);
      // Watched at once, before the pending status (which may wait on a rate limit) is sent.
      Optional<CompletableFuture<RunResult>> done = supervisor.completion(id);
      ids.add(id);
      PullRequestRuns.Run started = runs.add(t, id, name(c));
      quietly(() -> checks().running(check(started), id, link(id)));
      watch(started, done);
    }
    publish(t);
    String why = ids.size() + " run(s) started" + (problems.isEmpty() ? "" : "; " + problems);
    return new Outcome(
        ids.isEmpty() ? Delivery.Decision.FAILED : Delivery.Decision.ACCEPTED, why, ids);
  }

  /** A workflow whose recorded text pins its workspace, and that text. */
  private record PinnedRun(Workflow workflow, String text) {}

  /**
   * Workflow {@code c} with workspace {@code ws}, as text: the run records it, and a run resumed
   * after a restart reads it again, so it checks out the same commit (not the server's directory).
   * Empty, logged, when the text read back does not hold exactly that workspace.
   */
  private Optional<PinnedRun> pin(Candidate c, WorkspaceSpec ws, Map<String, String> inputs) {
    try {
      String text = WorkflowText.withWorkspace(c.text(), ws);
      Workflow w =
          Workflows.load(
              Path.of(c.path()),
              text,
              ValidationOptions.defaults().withInputs(inputs).withTrust(Trust.UNTRUSTED));
      if (w.workspace().equals(ws)) {
        return Optional.of(new PinnedRun(w, text));
      }
      LOG.error("{}: the pinned workspace reads back as {}, not {}", c.path(), w.workspace(), ws);
    } catch (OrchestraException e) {
      LOG.error("{}: cannot pin its workspace: {}", c.path(), e.getMessage());
    }
    return Optional.empty();
  }

  /** Reports the end of {@code run} once it ends ({@code done}), or now when it ended already. */
  private void watch(PullRequestRuns.Run run, Optional<CompletableFuture<RunResult>> done) {
    if (done.isPresent()) {
      // Attached after its check shows it running, so its end is always the last thing shown.
      done.get().whenComplete((r, e) -> finished(run, r));
    } else {
      // It ended before its completion could be watched.
      finished(run, store.result(run.runId()).orElse(null));
    }
  }

  /**
   * Watches the runs of pull requests that the previous server started and whose end it did not
   * report, which this one resumed (call after {@link RunSupervisor#recover()}), so that their
   * commit status or check run and the pull request's comment show their end; a run that ended
   * meanwhile is reported now, off the caller's thread. A run neither running nor ended (it could
   * not be resumed) is logged.
   */
  public void recover() {
    for (PullRequestRuns.Run r : runs.unreported()) {
      Optional<CompletableFuture<RunResult>> done = supervisor.completion(r.runId());
      if (done.isPresent()) {
        watch(r, done);
      } else if (store.result(r.runId()).isPresent()) {
        // GitHub's answers (or its rate limit) do not hold up the server's start.
        CompletableFuture.runAsync(() -> finished(r, store.result(r.runId()).orElse(null)));
      } else {
        LOG.warn(
            "run {} of {}#{} was not resumed; its check on GitHub stays running until it is",
            r.runId(),
            r.target().repository(),
            r.target().number());
      }
    }
  }

  /** Shows the end of {@code run} ({@code r}: its result, null when none is recorded). */
  private void finished(PullRequestRuns.Run run, RunResult r) {
    String id = run.runId();
    if (r != null && r.status() == RunStatus.CANCELLED && !supervisor.accepting()) {
      // The shutdown cancelled it and the next start resumes it: it has not ended for GitHub.
      LOG.info("run {} stopped for the shutdown; its end is reported after it is resumed", id);
      return;
    }
    quietly(
        () ->
            checks()
                .finished(check(run), id, r == null ? null : r.status(), link(id), runSummary(id)));
    runs.reported(id);
    // A superseded run's late end would put its old head back into the comment.
    if (runs.isHead(run.target())) {
      publish(run.target());
    }
  }

  private static HeadChecks.Check check(Target t, Candidate c) {
    return new HeadChecks.Check(t.repository(), t.number(), t.headSha(), name(c));
  }

  private static HeadChecks.Check check(PullRequestRuns.Run run) {
    Target t = run.target();
    return new HeadChecks.Check(t.repository(), t.number(), t.headSha(), run.workflow());
  }

  private void cancelSuperseded(Target t) {
    for (PullRequestRuns.Run s : runs.of(t.key())) {
      if (!s.target().headSha().equals(t.headSha()) && supervisor.isActive(s.runId())) {
        try {
          supervisor.cancel(s.runId());
          LOG.info("cancelled run {}: {}#{} has a new head", s.runId(), t.repository(), t.number());
        } catch (RunSupervisor.RunConflict e) {
          LOG.debug("run {} ended meanwhile", s.runId());
        }
      }
    }
  }

  /** The workflow's name, else its file's: what its commit status and check run are called. */
  static String name(Candidate c) {
    return c.workflow().name() != null
        ? c.workflow().name()
        : Path.of(c.path()).getFileName().toString().replaceAll("\\.ya?ml$", "");
  }

  private URI link(String runId) {
    return config.map(GitHubConfig::uiUrl).map(u -> u.resolve("#/runs/" + runId)).orElse(null);
  }

  /** Writes or edits the pull request's comment with the runs of its current head. */
  synchronized void publish(Target t) {
    quietly(() -> api().upsertComment(t.repository(), t.number(), MARKER, comment(t)));
  }

  String comment(Target t) {
    StringBuilder b =
        new StringBuilder(MARKER)
            .append("\n### Orchestra: `")
            .append(t.headSha(), 0, Math.min(12, t.headSha().length()))
            .append("`\n");
    // The latest run of each workflow on the head: a re-run's replaces the one before.
    Map<String, PullRequestRuns.Run> latest = new LinkedHashMap<>();
    for (PullRequestRuns.Run s : runs.of(t.key())) {
      if (s.target().headSha().equals(t.headSha())) {
        latest.put(s.workflow(), s);
      }
    }
    for (PullRequestRuns.Run s : latest.values()) {
      Optional<RunInfo> info = store.find(s.runId());
      if (info.isEmpty()) {
        continue;
      }
      RunState state = RunSnapshots.state(info.get(), store.events(s.runId()));
      String status = RunSnapshots.status(state, supervisor.isActive(s.runId()));
      URI link = link(s.runId());
      b.append("\n#### orchestra/")
          .append(s.workflow())
          .append(": ")
          .append(status)
          .append(" (run ")
          .append(link == null ? "`" + s.runId() + "`" : "[" + s.runId() + "](" + link + ")")
          .append(")\n\n")
          .append(table(s.runId(), state));
    }
    return b.toString();
  }

  /** The DAG's table of run {@code runId}, as its check run's summary shows it. */
  private String runSummary(String runId) {
    return store
        .find(runId)
        .map(info -> table(runId, RunSnapshots.state(info, store.events(runId))))
        .orElse("Run `" + runId + "` is not recorded.");
  }

  /** Each node's status, attempts and cost, the total and the run's branch, in Markdown. */
  private String table(String runId, RunState state) {
    StringBuilder b = new StringBuilder("| node | status | attempts | cost |\n|---|---|---|---|\n");
    for (NodeState n : state.nodes()) {
      b.append("| ")
          .append(n.id())
          .append(" | ")
          .append(n.status().wireName())
          .append(" | ")
          .append(n.attempt())
          .append('/')
          .append(n.maxAttempts())
          .append(" | $")
          .append(n.usage().costUsd().setScale(2, java.math.RoundingMode.HALF_UP))
          .append(" |\n");
    }
    b.append("\nTotal $")
        .append(state.usage().costUsd().setScale(2, java.math.RoundingMode.HALF_UP));
    store
        .result(runId)
        .ifPresent(
            r -> {
              if (r.branch() != null) {
                b.append("; branch `").append(r.branch().name()).append("`");
              }
            });
    return b.append('\n').toString();
  }

  private GitHubApi api() {
    return api.orElseThrow();
  }

  private HeadChecks checks() {
    return checks.orElseThrow();
  }

  private static void quietly(Runnable call) {
    try {
      call.run();
    } catch (OrchestraException e) {
      LOG.warn("GitHub: {}", e.getMessage());
    }
  }

  private static String approvalId(Target t) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((t.key() + "@" + t.headSha()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private synchronized void writePending() {
    pendingFile.write(new ArrayList<>(pending.values()));
  }
}
