package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.NotIgnoredFilter;

/**
 * One node's working directory: a repository of its own whose object database borrows the run
 * repository's through {@code objects/info/alternates} (what {@code git clone --shared} does), so
 * creating it copies no objects, and any git, JGit or the agent's own, works in it as in a normal
 * clone. Its work reaches the run repository by an in-process push of its branch.
 *
 * <p>JGit 7 has no {@code git worktree add}; a linked worktree would also share the run
 * repository's index lock and config, which parallel nodes would contend for. Not thread-safe: one
 * node's thread uses it.
 */
final class Worktree implements AutoCloseable {
  /** Where the node's start point is kept, for its diff. */
  static final String START_REF = "refs/orchestra/start";

  private final Path dir;
  private final String branch;
  private final Git git;

  private Worktree(Path dir, String branch, Git git) {
    this.dir = dir;
    this.branch = branch;
    this.git = git;
  }

  /**
   * Creates {@code dir} afresh (removing what a crashed session left there) as a repository on
   * {@code branch} sharing {@code objects} (the run repository's object directory), checked out at
   * {@code start}.
   */
  static Worktree create(
      Path dir, String branch, Path objects, Path shallow, ObjectId start, PersonIdent author) {
    try {
      Directories.delete(dir);
      Files.createDirectories(dir);
      try (Git init =
          Git.init()
              .setFs(NoExecFs.INSTANCE)
              .setDirectory(dir.toFile())
              .setInitialBranch(branch)
              .call()) {
        Path gitDir = init.getRepository().getDirectory().toPath();
        Path info = gitDir.resolve("objects/info");
        Files.createDirectories(info);
        Files.writeString(
            info.resolve("alternates"), objects.toAbsolutePath() + "\n", StandardCharsets.UTF_8);
        if (shallow != null && Files.exists(shallow)) {
          Files.copy(shallow, gitDir.resolve("shallow"));
        }
        StoredConfig config = init.getRepository().getConfig();
        config.setString("user", null, "name", author.getName());
        config.setString("user", null, "email", author.getEmailAddress());
        config.save();
      }
      // Reopened so that the object database reads the alternates written above.
      Git git = Git.open(dir.toFile(), NoExecFs.INSTANCE);
      Worktree w = new Worktree(dir, branch, git);
      w.setRef(Constants.R_HEADS + branch, start);
      w.setRef(START_REF, start);
      git.reset().setMode(ResetCommand.ResetType.HARD).setRef(start.name()).call();
      return w;
    } catch (IOException | GitAPIException e) {
      throw new OrchestraException(
          "cannot create the worktree of branch '" + branch + "' in " + dir + ": " + e, e);
    }
  }

  /** Opens the worktree a node of this session is using. */
  static Worktree open(Path dir, String branch) {
    try {
      return new Worktree(dir, branch, Git.open(dir.toFile(), NoExecFs.INSTANCE));
    } catch (IOException e) {
      throw new OrchestraException("cannot open the worktree " + dir + ": " + e, e);
    }
  }

  Path directory() {
    return dir;
  }

  String branch() {
    return branch;
  }

  Repository repository() {
    return git.getRepository();
  }

  /**
   * The conflicting paths of merging {@code other} into this worktree's branch; empty when none.
   */
  record Merge(List<String> conflicts) {}

  /**
   * Merges commit {@code other} (the work of {@code name}) into the branch, committing the merge.
   * On a conflict the worktree keeps the conflict markers; {@link #commitConflicts} then records
   * them, or the caller drops the worktree.
   */
  Merge merge(ObjectId other, String name, String message) {
    try {
      MergeResult r =
          git.merge()
              .include(name, other)
              .setFastForward(MergeCommand.FastForwardMode.FF)
              .setCommit(true)
              .setMessage(message)
              .call();
      if (r.getMergeStatus() == MergeResult.MergeStatus.CONFLICTING) {
        Map<String, int[][]> conflicts = r.getConflicts();
        return new Merge(new ArrayList<>(new TreeSet<>(conflicts.keySet())));
      }
      if (!r.getMergeStatus().isSuccessful()) {
        throw new OrchestraException(
            "merging the work of '" + name + "' into branch '" + branch + "' failed: " + r);
      }
      return new Merge(List.of());
    } catch (GitAPIException e) {
      throw new OrchestraException(
          "merging the work of '" + name + "' into branch '" + branch + "' failed: " + e, e);
    }
  }

  /** Commits a conflicted merge as it stands, markers and all, for the agent to resolve. */
  void commitConflicts(String message) {
    try {
      git.add().addFilepattern(".").call();
      git.commit().setMessage(message).call();
    } catch (GitAPIException e) {
      throw new OrchestraException(
          "cannot record the conflicts in branch '" + branch + "': " + e, e);
    }
  }

  /** Marks the current head as the node's start point (for its diff). */
  ObjectId markStart() {
    ObjectId head = head();
    setRef(START_REF, head);
    return head;
  }

  /**
   * Commits everything in the working directory (new, changed and deleted files, minus ignored
   * ones) with {@code message} by {@code author}.
   *
   * @return whether there was anything to commit
   */
  boolean commitAll(String message, PersonIdent author) {
    try {
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      git.commit()
          .setMessage(message)
          .setAuthor(author)
          .setCommitter(author)
          .setAllowEmpty(false)
          .call();
      return true;
    } catch (EmptyCommitException e) {
      return false;
    } catch (GitAPIException e) {
      throw new OrchestraException("cannot commit the work of branch '" + branch + "': " + e, e);
    }
  }

  /** The commit the branch points at. */
  ObjectId head() {
    try {
      ObjectId id = repository().resolve(Constants.R_HEADS + branch);
      if (id == null) {
        throw new OrchestraException("branch '" + branch + "' is gone from " + dir);
      }
      return id;
    } catch (IOException e) {
      throw new OrchestraException("cannot read branch '" + branch + "' in " + dir + ": " + e, e);
    }
  }

  /**
   * The unified diff from the start point to the working directory as it is now: committed and
   * uncommitted changes and new files, not ignored files. Does not touch the index, so it is safe
   * while the agent works.
   */
  String diff() {
    Repository repo = repository();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DiffFormatter formatter = new DiffFormatter(out)) {
      ObjectId start = repo.resolve(START_REF);
      if (start == null) {
        return "";
      }
      CanonicalTreeParser old = new CanonicalTreeParser();
      old.reset(reader, walk.parseCommit(start).getTree());
      formatter.setRepository(repo);
      formatter.setPathFilter(new NotIgnoredFilter(1));
      formatter.format(formatter.scan(old, new FileTreeIterator(repo)));
      formatter.flush();
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OrchestraException("cannot diff the worktree " + dir + ": " + e, e);
    }
  }

  /**
   * The first of {@code candidates} whose work changed {@code path} since its merge base with
   * {@code other}, or {@code null}.
   */
  static String whoChanged(
      Repository repo, String path, Map<String, ObjectId> candidates, ObjectId other) {
    try {
      for (Map.Entry<String, ObjectId> c : candidates.entrySet()) {
        RevCommit base;
        RevCommit tip;
        try (RevWalk walk = new RevWalk(repo)) {
          walk.setRevFilter(RevFilter.MERGE_BASE);
          walk.markStart(walk.parseCommit(c.getValue()));
          walk.markStart(walk.parseCommit(other));
          base = walk.next();
        }
        try (RevWalk walk = new RevWalk(repo)) {
          tip = walk.parseCommit(c.getValue());
          if (base == null
              || !blob(repo, path, tip).equals(blob(repo, path, walk.parseCommit(base)))) {
            return c.getKey();
          }
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  private static ObjectId blob(Repository repo, String path, RevCommit commit) throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
      return tw == null ? ObjectId.zeroId() : tw.getObjectId(0);
    }
  }

  private void setRef(String ref, ObjectId id) {
    Refs.force(repository(), ref, id, dir);
  }

  @Override
  public void close() {
    git.close();
  }
}
