package dev.orchestra.git;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * A bare mirror of a remote repository kept by the server (one per repository): fetches the refs it
 * is asked for, reads files at a commit without checking anything out, and lists the paths a commit
 * changed. Runs clone from it ({@link #url()}). Reads nothing a repository could run (no hooks, no
 * filters: {@link NoExecFs}). Fetches with a token when given one (a private repository: the token
 * is the password of the user {@value RepoSource#TOKEN_USER}, sent over https only, or plain http
 * to a loopback address; never written into the mirror's config, the URL or a message), else
 * without credentials (public https, {@code file://} or a path). Not thread-safe: one caller at a
 * time.
 */
public final class RepoMirror implements AutoCloseable {
  private final Repository repo;
  private final String remote;

  private RepoMirror(Repository repo, String remote) {
    this.repo = repo;
    this.remote = remote;
  }

  /** The mirror in {@code dir} (created when absent) of {@code remote}. */
  public static RepoMirror open(Path dir, String remote) {
    try {
      if (!Files.exists(dir.resolve("HEAD"))) {
        Files.createDirectories(dir);
        Git.init().setFs(NoExecFs.INSTANCE).setBare(true).setGitDir(dir.toFile()).call().close();
      }
      Repository r =
          new FileRepositoryBuilder()
              .setFS(NoExecFs.INSTANCE)
              .setGitDir(dir.toFile())
              .setMustExist(true)
              .build();
      return new RepoMirror(r, remote);
    } catch (IOException | GitAPIException e) {
      throw new OrchestraException("cannot open the mirror " + dir + " of " + remote + ": " + e, e);
    }
  }

  /** What a run's workspace clones: this mirror as a {@code file://} URL. */
  public String url() {
    return repo.getDirectory().toPath().toAbsolutePath().toUri().toString();
  }

  /**
   * Fetches {@code refspecs} ({@code +SRC:DST}) from the remote, forced, sending {@code token} when
   * the remote asks for credentials.
   *
   * @param token the password for the user {@value RepoSource#TOKEN_USER} (a GitHub token), or
   *     empty for none
   * @throws OrchestraException naming the remote when the fetch fails, or before connecting when a
   *     token would travel in the clear
   */
  public void fetch(List<String> refspecs, Optional<String> token) {
    List<RefSpec> specs = new ArrayList<>();
    refspecs.forEach(s -> specs.add(new RefSpec(s)));
    RemoteAccess access = token.map(this::access).orElse(RemoteAccess.NONE);
    try (Git git = Git.wrap(repo)) {
      access
          .apply(git.fetch().setRemote(remote).setRefSpecs(specs).setRemoveDeletedRefs(false))
          .call();
    } catch (GitAPIException e) {
      String why = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
      boolean refused = why.contains("not authorized") || why.contains("authentication");
      String hint =
          !refused
              ? ""
              : token.isEmpty()
                  ? "; a private repository is fetched with the server's GitHub token or App"
                      + " (docs/github.md)"
                  : "; the token sent was refused: may it read this repository?";
      throw new OrchestraException(
          "cannot fetch " + refspecs + " from " + remote + ": " + e + hint, e);
    }
  }

  private RemoteAccess access(String token) {
    URI uri;
    try {
      uri = URI.create(remote);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme();
    boolean loopback =
        scheme.equalsIgnoreCase("http") && uri.getHost() != null && isLoopback(uri.getHost());
    if (!scheme.equalsIgnoreCase("https") && !loopback) {
      throw new OrchestraException(
          "a token is sent only over https (or http to this machine), but the mirror's remote is "
              + remote
              + "; use the repository's https URL");
    }
    return RemoteAccess.https(
        new UsernamePasswordCredentialsProvider(RepoSource.TOKEN_USER, token));
  }

  private static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }

  /** Points the mirror's {@code HEAD} at {@code ref} (what a clone of it checks out first). */
  public void head(String ref) {
    try {
      repo.updateRef(org.eclipse.jgit.lib.Constants.HEAD).link(ref);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot point HEAD of the mirror of " + remote + " at " + ref, e);
    }
  }

  /** The commit {@code ref} (a ref name or a commit id) names here, or null. */
  public String resolve(String ref) {
    try {
      ObjectId id = repo.resolve(ref + "^{commit}");
      return id == null ? null : id.name();
    } catch (IOException e) {
      throw new OrchestraException("cannot resolve " + ref + " in " + remote + ": " + e, e);
    }
  }

  /**
   * The files directly in {@code directory} at {@code commit} whose names end with one of {@code
   * suffixes}, by path, as UTF-8 text; each at most {@code maxBytes} (larger ones are left out).
   */
  public Map<String, String> files(
      String commit, String directory, List<String> suffixes, long maxBytes) {
    Map<String, String> out = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
      tree.addTree(c.getTree());
      tree.setRecursive(true);
      tree.setFilter(PathFilter.create(directory));
      while (tree.next()) {
        String path = tree.getPathString();
        String name = path.substring(path.lastIndexOf('/') + 1);
        boolean direct = path.equals(directory + "/" + name);
        if (!direct || suffixes.stream().noneMatch(name::endsWith)) {
          continue;
        }
        if (!tree.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.REGULAR_FILE)
            && !tree.getFileMode(0).equals(org.eclipse.jgit.lib.FileMode.EXECUTABLE_FILE)) {
          continue;
        }
        var loader = repo.open(tree.getObjectId(0));
        if (loader.getSize() > maxBytes) {
          continue;
        }
        out.put(path, new String(loader.getBytes(), StandardCharsets.UTF_8));
      }
      return out;
    } catch (IOException | IllegalArgumentException e) {
      throw new OrchestraException(
          "cannot read " + directory + " at " + commit + " of " + remote + ": " + e, e);
    }
  }

  /** The paths {@code head} changes since its merge base with {@code base}. */
  public List<String> changedPaths(String base, String head) {
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader();
        Git git = Git.wrap(repo)) {
      RevCommit b = walk.parseCommit(ObjectId.fromString(base));
      RevCommit h = walk.parseCommit(ObjectId.fromString(head));
      walk.setRevFilter(RevFilter.MERGE_BASE);
      walk.markStart(b);
      walk.markStart(h);
      RevCommit mergeBase = walk.next();
      CanonicalTreeParser from = new CanonicalTreeParser();
      if (mergeBase != null) {
        from.reset(reader, walk.parseCommit(mergeBase).getTree());
      }
      CanonicalTreeParser to = new CanonicalTreeParser();
      to.reset(reader, h.getTree());
      List<String> paths = new ArrayList<>();
      for (DiffEntry d : git.diff().setOldTree(from).setNewTree(to).call()) {
        if (d.getChangeType() != DiffEntry.ChangeType.ADD) {
          paths.add(d.getOldPath());
        }
        if (d.getChangeType() != DiffEntry.ChangeType.DELETE
            && !d.getNewPath().equals(d.getOldPath())) {
          paths.add(d.getNewPath());
        }
      }
      return paths;
    } catch (IOException | GitAPIException | IllegalArgumentException e) {
      throw new OrchestraException(
          "cannot diff " + base + ".." + head + " of " + remote + ": " + e, e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
