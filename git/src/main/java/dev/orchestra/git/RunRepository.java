package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.Branch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository holding one run's branches: the user's own repository for a local {@code
 * workspace.repo} (only branches under {@code PREFIX RUN_ID/} are written there; its working tree,
 * index and current branch are never touched), or a bare clone in the run's directory for a URL.
 * Also remembers the run's start commit ({@code git/base}), so that a resumed run starts new nodes
 * where the first session did even if the ref moved since.
 *
 * <p>Thread-safe: nodes prepare and finish in parallel; writes to the repository's refs go through
 * {@link #publish}, which is serialized.
 */
final class RunRepository implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunRepository.class);
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{7,40}");

  private final Repository repo;
  private final RepoSource source;
  private final Path work;
  private final ObjectId base;
  private final RemoteAccess access;

  private RunRepository(
      Repository repo, RepoSource source, Path work, ObjectId base, RemoteAccess access) {
    this.repo = repo;
    this.source = source;
    this.work = work;
    this.base = base;
    this.access = access;
  }

  /**
   * Opens the run's repository: clones a URL into {@code work/repo.git} the first time (shallow,
   * one ref, when {@code ref} names a branch or tag), reopens that clone on resume, or finds the
   * repository of a local directory.
   *
   * @param work the run's git directory ({@code RUN_DIR/git})
   */
  static RunRepository open(RepoSource source, String ref, Path work, RemoteAccess access) {
    try {
      Files.createDirectories(work);
      Repository repo = source.isRemote() ? cloned(source, ref, work, access) : local(source);
      Path baseFile = work.resolve("base");
      ObjectId base;
      if (Files.exists(baseFile)) {
        base = ObjectId.fromString(Files.readString(baseFile, StandardCharsets.UTF_8).trim());
      } else {
        base = resolve(repo, source, ref);
        Files.writeString(baseFile, base.name() + "\n", StandardCharsets.UTF_8);
      }
      return new RunRepository(repo, source, work, base, access);
    } catch (RuntimeException e) {
      access.close();
      throw e;
    } catch (IOException e) {
      access.close();
      throw new OrchestraException(
          "cannot open the workspace repository '" + source.repo() + "': " + e, e);
    }
  }

  private static Repository local(RepoSource source) throws IOException {
    Path dir = source.directory();
    if (!Files.isDirectory(dir)) {
      throw new OrchestraException(
          "workspace repo '" + source.repo() + "' is not a directory (resolved to " + dir + ")");
    }
    FileRepositoryBuilder b =
        new FileRepositoryBuilder().setFS(NoExecFs.INSTANCE).findGitDir(dir.toFile());
    if (b.getGitDir() == null) {
      if (Files.exists(dir.resolve("HEAD")) && Files.isDirectory(dir.resolve("objects"))) {
        b.setGitDir(dir.toFile());
      } else {
        throw new OrchestraException(
            "workspace repo '"
                + source.repo()
                + "' ("
                + dir
                + ") is not in a git repository; run `git init` there, or use 'isolation:"
                + " shared'");
      }
    }
    return b.setMustExist(true).build();
  }

  private static Repository cloned(RepoSource source, String ref, Path work, RemoteAccess access)
      throws IOException {
    Path dir = work.resolve("repo.git");
    if (Files.exists(dir.resolve("HEAD"))) {
      return new FileRepositoryBuilder()
          .setFS(NoExecFs.INSTANCE)
          .setGitDir(dir.toFile())
          .setMustExist(true)
          .build();
    }
    Directories.delete(dir);
    try {
      String one =
          ref == null || COMMIT_ID.matcher(ref).matches() ? null : remoteRef(source, ref, access);
      var clone =
          access.apply(
              Git.cloneRepository()
                  .setFs(NoExecFs.INSTANCE)
                  .setURI(source.url())
                  .setDirectory(dir.toFile())
                  .setBare(true));
      if (one != null) {
        // One ref at depth 1: every branch of the run descends from it, so merges find their base.
        clone.setBranchesToClone(List.of(one)).setBranch(one).setDepth(1);
      }
      LOG.info(
          "cloning {} into {}{}", source.url(), dir, one != null ? " (" + one + ", shallow)" : "");
      // The repository outlives this Git wrapper; close() closes it.
      return clone.call().getRepository();
    } catch (GitAPIException e) {
      throw new OrchestraException(
          "cannot clone workspace repo '"
              + source.url()
              + "': "
              + e.getMessage()
              + access.hint(e.getMessage()),
          e);
    }
  }

  /** The full name of {@code ref} on the remote (a branch or tag), or null. */
  private static String remoteRef(RepoSource source, String ref, RemoteAccess access)
      throws GitAPIException {
    Collection<Ref> refs =
        access
            .apply(Git.lsRemoteRepository().setRemote(source.url()))
            .setHeads(true)
            .setTags(true)
            .call();
    for (String full : List.of(ref, Constants.R_HEADS + ref, Constants.R_TAGS + ref)) {
      for (Ref r : refs) {
        if (r.getName().equals(full)) {
          return full;
        }
      }
    }
    return null;
  }

  private static ObjectId resolve(Repository repo, RepoSource source, String ref)
      throws IOException {
    String name = ref == null || ref.isBlank() ? Constants.HEAD : ref;
    ObjectId id = repo.resolve(name + "^{commit}");
    if (id == null) {
      throw new OrchestraException(
          "workspace ref '"
              + name
              + "' is not a branch, tag or commit of '"
              + source.repo()
              + "'; set 'ref' to one that exists (e.g. main)");
    }
    return id;
  }

  ObjectId base() {
    return base;
  }

  Path work() {
    return work;
  }

  RepoSource source() {
    return source;
  }

  /** The object directory node worktrees borrow from. */
  Path objects() {
    return repo.getDirectory().toPath().resolve("objects");
  }

  /** The shallow-commits file of a shallow clone (copied into worktrees), maybe absent. */
  Path shallow() {
    return repo.getDirectory().toPath().resolve("shallow");
  }

  /** The head of branch {@code name}, or null. */
  ObjectId tip(String name) {
    try {
      return repo.resolve(Constants.R_HEADS + name);
    } catch (IOException e) {
      throw new OrchestraException("cannot read branch '" + name + "': " + e, e);
    }
  }

  /**
   * Moves branch {@code w.branch()} of this repository to the worktree's head, by an in-process
   * push (which copies the worktree's new objects over). {@code fresh}: the branch starts over, as
   * when a node runs again after a crash, so an old value of the run's own branch is dropped first;
   * otherwise only fast-forwards are allowed.
   */
  synchronized void publish(Worktree w, boolean fresh) {
    String ref = Constants.R_HEADS + w.branch();
    try {
      if (fresh && repo.exactRef(ref) != null) {
        RefUpdate u = repo.updateRef(ref);
        u.setForceUpdate(true);
        u.delete();
      }
      Iterable<PushResult> results =
          Git.wrap(w.repository())
              .push()
              .setRemote(repo.getDirectory().getAbsolutePath())
              .setRefSpecs(new RefSpec(ref + ":" + ref))
              .call();
      List<String> problems = problems(results);
      if (!problems.isEmpty()) {
        throw new OrchestraException(
            "cannot update branch '" + w.branch() + "' in '" + source.repo() + "': " + problems);
      }
    } catch (IOException | GitAPIException e) {
      throw new OrchestraException(
          "cannot update branch '" + w.branch() + "' in '" + source.repo() + "': " + e, e);
    }
  }

  /**
   * Points branch {@code name}, one of the run's own, at {@code id}, whatever it pointed at before
   * (a rerun after a crash makes it again).
   */
  synchronized void setBranch(String name, ObjectId id) {
    Refs.force(repo, Constants.R_HEADS + name, id, source.repo());
  }

  /** The branches under {@code prefix} (e.g. {@code orchestra/RUN/}), by the rest of their name. */
  Map<String, Branch> branches(String prefix) {
    Map<String, Branch> out = new LinkedHashMap<>();
    try {
      for (Ref r : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS + prefix)) {
        String name = r.getName().substring(Constants.R_HEADS.length());
        out.put(name.substring(prefix.length()), new Branch(name, r.getObjectId().name()));
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot list the branches " + prefix + "*: " + e, e);
    }
    return out;
  }

  /**
   * Pushes {@code branches} to {@code remote} (a remote's name or a URL), never forcing.
   *
   * @return what was refused, empty when all landed
   */
  synchronized List<String> push(String remote, List<String> branches) {
    List<RefSpec> specs = new ArrayList<>();
    for (String b : branches) {
      specs.add(new RefSpec(Constants.R_HEADS + b + ":" + Constants.R_HEADS + b));
    }
    try {
      return problems(
          access
              .apply(Git.wrap(repo).push())
              .setRemote(remote)
              .setRefSpecs(specs)
              .setForce(false)
              .call());
    } catch (GitAPIException e) {
      return List.of(
          "push to '" + remote + "' failed: " + e.getMessage() + access.hint(e.getMessage()));
    }
  }

  private static List<String> problems(Iterable<PushResult> results) {
    List<String> problems = new ArrayList<>();
    for (PushResult r : results) {
      for (RemoteRefUpdate u : r.getRemoteUpdates()) {
        if (u.getStatus() != RemoteRefUpdate.Status.OK
            && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
          problems.add(
              u.getRemoteName()
                  + " "
                  + u.getStatus()
                  + (u.getMessage() != null ? " (" + u.getMessage() + ")" : ""));
        }
      }
    }
    return problems;
  }

  /** The repository's directory users check out from (the working tree, or the bare clone). */
  Path checkoutDirectory() {
    return repo.isBare() ? repo.getDirectory().toPath() : repo.getWorkTree().toPath();
  }

  @Override
  public void close() {
    repo.close();
    access.close();
  }
}
