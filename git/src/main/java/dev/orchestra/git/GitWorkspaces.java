package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import dev.orchestra.engine.NodeWorkspace;
import dev.orchestra.engine.PreparedWorkspace;
import dev.orchestra.engine.RunWorkspace;
import dev.orchestra.engine.SharedWorkspaces;
import dev.orchestra.engine.WorkspaceProvider;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.Branch;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.WorkspaceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Git workspaces ({@code workspace}, docs/workspaces.md), with JGit and no git binary.
 *
 * <ul>
 *   <li>{@code isolation: shared} with no repo or a local one: every node works in that directory,
 *       no git ({@link SharedWorkspaces}); with a URL: the repository is cloned once into the run's
 *       directory and every node works in that one checkout.
 *   <li>{@code isolation: branch}: each node works in its own worktree ({@code
 *       RUN_DIR/git/worktrees/NODE}, see {@link Worktree}) on branch {@code PREFIX RUN_ID/NODE}; a
 *       node without needs starts at {@code ref}, one with needs at the merge of its upstream
 *       nodes' branches (a conflict ends it with {@code merge_conflict: PATHS between A and B}, or
 *       with {@code on_conflict: agent} is committed with its markers for the agent to resolve). A
 *       node that succeeds gets its work committed ({@code orchestra(NODE): FIRST LINE OF OUTPUT},
 *       trailers {@code Orchestra-Run} and {@code Orchestra-Node}). At the end of the run branch
 *       {@code PREFIX RUN_ID/_result} holds the merge of the succeeded sinks (git cannot hold a
 *       branch {@code PREFIX RUN_ID} beside branches under it), {@code push: true} pushes the run's
 *       branches without force, and the worktrees are removed; the branches stay.
 * </ul>
 *
 * <p>A URL is reached over https with the token of {@code workspace.credentials}, or over ssh
 * (JGit's Apache MINA transport) with the private key it names, the server's host key checked
 * against a known_hosts file ({@link RemoteAccess}, {@link KnownHosts}).
 *
 * <p>For a run planned for a pipeline that runs each node in a process of its own, maybe in other
 * workspaces (docs/pipeline-plan.md), {@link #planRun} fixes the start commit ({@code
 * RUN_DIR/git/base}, which goes with the run's records); each node's branch is written, once the
 * node ends, as a git bundle assuming that commit ({@code RUN_DIR/git/NODE.bundle}); a node fetches
 * its upstream nodes' branches from their bundles before it starts; and the run's end fetches every
 * bundle before it makes the run branch.
 *
 * <p>For a local {@code repo} the branches are created in that repository itself; nothing else in
 * it changes (not its working tree, index, current branch or other refs). Each node's diff is kept
 * in {@code RUN_DIR/git/diffs/NODE.patch}.
 *
 * <p>Thread-safe: nodes of one or many runs prepare and finish in parallel.
 */
public final class GitWorkspaces implements WorkspaceProvider {
  private static final Logger LOG = LoggerFactory.getLogger(GitWorkspaces.class);

  /** The branch prefix when the workflow sets none. */
  public static final String DEFAULT_PREFIX = "orchestra/";

  /** The last part of the run branch's name: {@code PREFIX RUN_ID/_result}. */
  public static final String RESULT = "_result";

  /** The author and committer when the workflow sets none. */
  public static final String DEFAULT_AUTHOR = "Orchestra <orchestra@localhost>";

  private final Path base;
  private final Function<String, Path> runDirectories;
  private final Credentials credentials;
  private final Path knownHosts;
  private final SharedWorkspaces shared;
  private final Map<String, RunState> runs = new ConcurrentHashMap<>();

  /**
   * @param base the directory a relative {@code workspace.repo} starts from (the CLI's current
   *     directory)
   * @param runDirectories the directory of each run's records (the git state goes into its {@code
   *     git/} subdirectory)
   * @param credentials where {@code workspace.credentials} are looked up
   */
  public GitWorkspaces(Path base, Function<String, Path> runDirectories, Credentials credentials) {
    this(base, runDirectories, credentials, defaultKnownHosts());
  }

  /**
   * @param base the directory a relative {@code workspace.repo} starts from
   * @param runDirectories the directory of each run's records
   * @param credentials where {@code workspace.credentials} are looked up
   * @param knownHosts the OpenSSH known_hosts file the host keys of ssh remotes are checked against
   *     (an unlisted host is refused, never added)
   */
  public GitWorkspaces(
      Path base, Function<String, Path> runDirectories, Credentials credentials, Path knownHosts) {
    this.base = base.toAbsolutePath().normalize();
    this.runDirectories = runDirectories;
    this.credentials = credentials;
    this.knownHosts = knownHosts.toAbsolutePath().normalize();
    this.shared = new SharedWorkspaces(this.base);
  }

  /** {@code ~/.ssh/known_hosts}, where OpenSSH keeps the hosts the user trusts. */
  public static Path defaultKnownHosts() {
    return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  /**
   * Whether the run's repository can be used: with {@code isolation: branch} or a URL, the local
   * repository must exist (with {@code ref}), or the URL answer with the workspace's credentials
   * (and have {@code ref}); a shared local directory must exist. Reads only; blocks for up to
   * {@value RunRepository#CHECK_TIMEOUT_SECONDS} s for a URL.
   */
  @Override
  public Optional<String> unavailable(WorkspaceSpec spec) {
    boolean url = spec.repo() != null && RepoSource.isUrl(spec.repo());
    if (spec.isolation() != Isolation.BRANCH && !url) {
      return shared.unavailable(spec);
    }
    RepoSource source = RepoSource.of(spec, base);
    try (RemoteAccess access =
        source.isRemote() ? source.access(spec, credentials, knownHosts) : RemoteAccess.NONE) {
      return RunRepository.check(source, spec.ref(), access);
    } catch (OrchestraException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public Path prepare(String runId, String nodeId, WorkspaceSpec spec) {
    return prepare(new NodeWorkspace(runId, nodeId, spec, List.of(), false)).directory();
  }

  @Override
  public PreparedWorkspace prepare(NodeWorkspace node) {
    WorkspaceSpec spec = node.spec();
    if (spec.isolation() != Isolation.BRANCH) {
      if (spec.repo() != null && RepoSource.isUrl(spec.repo())) {
        return new PreparedWorkspace(state(node.runId()).sharedCheckout(this, spec), null);
      }
      return new PreparedWorkspace(shared.prepare(node.runId(), node.nodeId(), spec), null);
    }
    RunRepository repo = state(node.runId()).repository(this, spec);
    String prefix = prefix(spec, node.runId());
    if (node.planned()) {
      for (String up : node.upstream()) {
        Path bundle = bundleFile(node.runId(), up);
        if (Files.exists(bundle)) {
          repo.fetchBundle(bundle, prefix);
        }
      }
    }
    Start start =
        start(
            repo,
            spec,
            node.nodeId(),
            prefix + node.nodeId(),
            prefix,
            node.upstream(),
            node.agentResolvesConflicts());
    return new PreparedWorkspace(start.dir, start.conflict);
  }

  @Override
  public void finish(NodeWorkspace node, Path workspace, NodeStatus status, String output) {
    WorkspaceSpec spec = node.spec();
    if (spec.isolation() != Isolation.BRANCH) {
      return;
    }
    RunRepository repo = state(node.runId()).repository(this, spec);
    String branch = prefix(spec, node.runId()) + node.nodeId();
    try (Worktree w = Worktree.open(workspace, branch)) {
      Path patch = diffFile(node.runId(), node.nodeId());
      Files.createDirectories(patch.getParent());
      Files.writeString(patch, w.diff(), StandardCharsets.UTF_8);
      if (status == NodeStatus.SUCCEEDED
          && w.commitAll(message(node.nodeId(), output, node.runId()), author(spec))) {
        repo.publish(w, false);
        LOG.info(
            "run {}: node {} committed {} on {}",
            node.runId(),
            node.nodeId(),
            w.head().name(),
            branch);
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot store the diff of node '" + node.nodeId() + "': " + e, e);
    }
    if (node.planned()) {
      repo.writeBundle(bundleFile(node.runId(), node.nodeId()), branch);
    }
  }

  /**
   * Opens the run's repository once, which fixes the commit every node of the run starts from
   * ({@code RUN_DIR/git/base}), so that the workspaces of a pipeline's nodes agree on it.
   */
  @Override
  public void planRun(String runId, WorkspaceSpec spec) {
    if (spec.isolation() != Isolation.BRANCH) {
      return;
    }
    try {
      state(runId).repository(this, spec);
    } finally {
      RunState state = runs.remove(runId);
      if (state != null) {
        state.close();
      }
    }
  }

  /** Where the branch of {@code nodeId} travels between the workspaces of a planned run. */
  private Path bundleFile(String runId, String nodeId) {
    return runDirectories.apply(runId).resolve("git").resolve(Directories.name(nodeId) + ".bundle");
  }

  @Override
  public String diff(String runId, String nodeId, Path workspace) {
    if (workspace != null && Files.isDirectory(workspace.resolve(".git"))) {
      Path worktrees = runDirectories.apply(runId).resolve("git/worktrees");
      if (workspace
          .toAbsolutePath()
          .normalize()
          .startsWith(worktrees.toAbsolutePath().normalize())) {
        try (Worktree w = Worktree.open(workspace, "")) {
          return w.diff();
        }
      }
    }
    Path patch = diffFile(runId, nodeId);
    try {
      return Files.exists(patch) ? Files.readString(patch, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new OrchestraException("cannot read the diff of node '" + nodeId + "': " + e, e);
    }
  }

  @Override
  public RunWorkspace finishRun(String runId, WorkspaceSpec spec, List<String> sinks) {
    RunState state = runs.remove(runId);
    if (spec.isolation() != Isolation.BRANCH) {
      if (state != null) {
        state.close();
      }
      return RunWorkspace.NONE;
    }
    if (state == null) {
      state = new RunState(runId);
    }
    try {
      RunRepository repo = state.repository(this, spec);
      String prefix = prefix(spec, runId);
      for (Path bundle : bundles(runId)) {
        // The branches nodes of a planned run made in other workspaces.
        repo.fetchBundle(bundle, prefix);
      }
      Map<String, Branch> nodes = new LinkedHashMap<>(repo.branches(prefix));
      nodes.remove(RESULT);
      String failure = null;
      Branch result = null;
      if (!sinks.isEmpty()) {
        try {
          if (sinks.size() == 1) {
            // Nothing to merge: no need to check out a worktree to name one commit.
            repo.setBranch(prefix + RESULT, repo.tip(prefix + sinks.get(0)));
          } else {
            Directories.delete(
                start(repo, spec, RESULT, prefix + RESULT, prefix, sinks, false).dir);
          }
          result = new Branch(prefix + RESULT, repo.tip(prefix + RESULT).name());
          LOG.info("run {}: result on branch {} at {}", runId, result.name(), result.commit());
        } catch (OrchestraException e) {
          failure = "the run branch cannot be made: " + e.getMessage();
        }
      }
      String remote = spec.remote() != null ? spec.remote() : "origin";
      boolean pushed = false;
      if (Boolean.TRUE.equals(spec.push())) {
        List<String> names = new ArrayList<>();
        nodes.values().forEach(b -> names.add(b.name()));
        if (result != null) {
          names.add(result.name());
        }
        List<String> refused = names.isEmpty() ? List.of() : repo.push(remote, names);
        if (refused.isEmpty()) {
          pushed = true;
        } else if (failure == null) {
          failure =
              "pushing the run's branches to '"
                  + remote
                  + "' failed: "
                  + String.join("; ", refused)
                  + "; nothing was forced, the branches are kept locally";
        }
      }
      return new RunWorkspace(nodes, result, checkout(repo, result, pushed, remote), failure);
    } catch (IOException e) {
      throw new OrchestraException("cannot remove the worktrees of run " + runId + ": " + e, e);
    } finally {
      try {
        Directories.delete(runDirectories.apply(runId).resolve("git/worktrees"));
      } catch (IOException e) {
        LOG.warn("run {}: cannot remove its worktrees: {}", runId, e.toString());
      }
      state.close();
    }
  }

  /** The bundles nodes of a planned run left in its directory, in name order. */
  private List<Path> bundles(String runId) throws IOException {
    Path git = runDirectories.apply(runId).resolve("git");
    if (!Files.isDirectory(git)) {
      return List.of();
    }
    try (var files = Files.list(git)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".bundle")).sorted().toList();
    }
  }

  private String checkout(RunRepository repo, Branch result, boolean pushed, String remote) {
    if (result == null) {
      return null;
    }
    String b = result.name();
    if (!repo.source().isRemote()) {
      Path dir = repo.checkoutDirectory().toAbsolutePath().normalize();
      return dir.equals(base) ? "git checkout " + b : "git -C " + dir + " checkout " + b;
    }
    if (pushed) {
      return "git fetch " + remote + " " + b + ":" + b + " && git checkout " + b;
    }
    return "git clone --branch " + b + " " + repo.checkoutDirectory() + " result";
  }

  /** Where a node (or the run branch) starts, and its worktree. */
  private record Start(Path dir, String conflict) {}

  private Start start(
      RunRepository repo,
      WorkspaceSpec spec,
      String nodeId,
      String branch,
      String prefix,
      List<String> upstream,
      boolean resolve) {
    if (!Repository.isValidRefName("refs/heads/" + branch)) {
      throw new OrchestraException(
          "branch name '"
              + branch
              + "' is not valid in git; set workspace 'branch_prefix' to one"
              + " like 'orchestra/'");
    }
    Map<String, ObjectId> tips = new LinkedHashMap<>();
    for (String up : upstream) {
      ObjectId tip = repo.tip(prefix + up);
      if (tip == null) {
        throw new OrchestraException(
            "upstream node '" + up + "' has no branch '" + prefix + up + "' to start from");
      }
      tips.put(up, tip);
    }
    Path dir = repo.work().resolve("worktrees").resolve(Directories.name(nodeId));
    ObjectId first = tips.isEmpty() ? repo.base() : tips.values().iterator().next();
    Worktree w = Worktree.create(dir, branch, repo.objects(), repo.shallow(), first, author(spec));
    boolean ok = false;
    try {
      List<String> conflicts = new ArrayList<>();
      Map<String, ObjectId> merged = new LinkedHashMap<>();
      for (Map.Entry<String, ObjectId> up : tips.entrySet()) {
        if (merged.isEmpty()) {
          merged.put(up.getKey(), up.getValue());
          continue;
        }
        String what = "orchestra(" + nodeId + "): merge the work of " + up.getKey();
        Worktree.Merge m = w.merge(up.getValue(), up.getKey(), what);
        if (!m.conflicts().isEmpty()) {
          String other =
              Worktree.whoChanged(w.repository(), m.conflicts().get(0), merged, up.getValue());
          String reason =
              "merge_conflict: "
                  + String.join(", ", m.conflicts())
                  + " between "
                  + (other != null ? other : merged.keySet().iterator().next())
                  + " and "
                  + up.getKey();
          if (!resolve) {
            throw new OrchestraException(reason);
          }
          w.commitConflicts(what + ", conflict markers left to resolve\n\n" + reason + "\n");
          conflicts.add(reason.substring("merge_conflict: ".length()));
        }
        merged.put(up.getKey(), up.getValue());
      }
      w.markStart();
      repo.publish(w, true);
      ok = true;
      return new Start(dir, conflicts.isEmpty() ? null : conflictPrompt(conflicts));
    } finally {
      w.close();
      if (!ok) {
        try {
          Directories.delete(dir);
        } catch (IOException e) {
          LOG.warn("cannot remove the worktree {}: {}", dir, e.toString());
        }
      }
    }
  }

  static String conflictPrompt(List<String> conflicts) {
    return "Before the task below: merging the work this task builds on conflicted ("
        + String.join("; ", conflicts)
        + "). Those files in your working directory hold git conflict markers (<<<<<<<, =======,"
        + " >>>>>>>). First resolve every conflict so that the intent of both sides is kept, and"
        + " remove all the markers; then do the task.";
  }

  /** {@code orchestra(NODE): FIRST LINE}, then the trailers. */
  static String message(String nodeId, String output, String runId) {
    String first = "";
    if (output != null) {
      first = output.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
    if (first.length() > 72) {
      first = first.substring(0, 69) + "...";
    }
    if (first.isEmpty()) {
      first = "work of node " + nodeId;
    }
    return "orchestra("
        + nodeId
        + "): "
        + first
        + "\n\nOrchestra-Run: "
        + runId
        + "\nOrchestra-Node: "
        + nodeId
        + "\n";
  }

  static PersonIdent author(WorkspaceSpec spec) {
    String a = spec.author() != null ? spec.author() : DEFAULT_AUTHOR;
    int lt = a.lastIndexOf('<');
    int gt = a.lastIndexOf('>');
    if (lt <= 0 || gt < lt) {
      throw new OrchestraException(
          "workspace author '" + a + "' is not of the form 'Name <email>'");
    }
    return new PersonIdent(a.substring(0, lt).strip(), a.substring(lt + 1, gt).strip());
  }

  static String prefix(WorkspaceSpec spec, String runId) {
    String p = spec.branchPrefix() != null ? spec.branchPrefix() : DEFAULT_PREFIX;
    return p + runId + "/";
  }

  private Path diffFile(String runId, String nodeId) {
    return diffFile(runDirectories.apply(runId), nodeId);
  }

  /**
   * Where the diff of node {@code nodeId}'s branch against its base is kept once the node ended
   * ({@code isolation: branch}), for a run whose directory is {@code runDirectory}: a front end
   * reads it from there (a server's {@code GET /runs/{id}/nodes/{node}/diff}).
   */
  public static Path diffFile(Path runDirectory, String nodeId) {
    return runDirectory.resolve("git/diffs").resolve(Directories.name(nodeId) + ".patch");
  }

  private RunState state(String runId) {
    return runs.computeIfAbsent(runId, RunState::new);
  }

  /** One run's repository, opened (or cloned) by the first node that needs it. */
  private static final class RunState {
    private final String runId;
    private RunRepository repo;
    private Path sharedCheckout;

    RunState(String runId) {
      this.runId = runId;
    }

    synchronized RunRepository repository(GitWorkspaces owner, WorkspaceSpec spec) {
      if (repo == null) {
        RepoSource source = RepoSource.of(spec, owner.base);
        repo =
            RunRepository.open(
                source,
                spec.ref(),
                owner.runDirectories.apply(runId).resolve("git"),
                source.access(spec, owner.credentials, owner.knownHosts));
      }
      return repo;
    }

    synchronized Path sharedCheckout(GitWorkspaces owner, WorkspaceSpec spec) {
      if (sharedCheckout == null) {
        RunRepository r = repository(owner, spec);
        Path dir = r.work().resolve("checkout");
        if (Files.isDirectory(dir.resolve(".git"))) {
          // A resumed run keeps working in the checkout its first session made.
          sharedCheckout = dir;
          return dir;
        }
        Worktree.create(dir, "orchestra-shared", r.objects(), r.shallow(), r.base(), author(spec))
            .close();
        sharedCheckout = dir;
      }
      return sharedCheckout;
    }

    synchronized void close() {
      if (repo != null) {
        repo.close();
        repo = null;
      }
    }
  }
}
