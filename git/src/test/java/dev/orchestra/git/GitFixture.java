package dev.orchestra.git;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Real repositories in a temporary directory: a bare "remote" ({@code remote.git}) with {@code
 * README.md} and {@code shared.txt} on {@code main}, the user's clone of it ({@code user/}, on
 * {@code main}), a run store outside the clone ({@code runs/}), and an engine whose workspaces are
 * {@link GitWorkspaces} based in the user's clone.
 */
final class GitFixture implements AutoCloseable {
  final Path dir;
  final Path remote;
  final Path user;
  final FileRunStore store;
  final Engine engine;

  GitFixture(Path dir) throws GitAPIException, IOException {
    this.dir = dir;
    this.remote = dir.resolve("remote.git");
    this.user = dir.resolve("user");
    Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    try (Git git = Git.init().setDirectory(user.toFile()).setInitialBranch("main").call()) {
      Files.writeString(user.resolve("README.md"), "# project\n");
      Files.writeString(user.resolve("shared.txt"), "one\ntwo\nthree\n");
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("initial")
          .setAuthor("User", "user@example.com")
          .setCommitter("User", "user@example.com")
          .call();
      git.remoteAdd().setName("origin").setUri(new URIish(remote.toUri().toString())).call();
      git.push()
          .setRemote("origin")
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
          .call();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    this.store = FileRunStore.at(dir.resolve("runs"));
    this.engine = engine(user);
  }

  Engine engine(Path base) {
    return Engine.builder()
        .store(store)
        .baseDirectory(base)
        .workspaces(new GitWorkspaces(base, store::runDirectory, Credentials.from(Map.of())))
        .build();
  }

  Path write(String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  RunResult run(String yaml) throws InterruptedException {
    var wf = Workflows.load(write("flow.yaml", yaml), Map.of());
    return engine.start(wf, RunOptions.defaults()).await(Duration.ofMinutes(2)).orElseThrow();
  }

  /** The repository of the user's clone. */
  Git userGit() throws IOException {
    return Git.open(user.toFile());
  }

  /** Branch names under {@code prefix} in the repository at {@code gitDir}. */
  static List<String> branches(Path repoDir, String prefix) throws IOException {
    try (Git git = Git.open(repoDir.toFile())) {
      List<String> names = new ArrayList<>();
      for (Ref r :
          git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS + prefix)) {
        names.add(r.getName().substring(Constants.R_HEADS.length()));
      }
      return names;
    }
  }

  /** The text of {@code path} in the commit branch {@code branch} points at, or null. */
  static String file(Path repoDir, String branch, String path) throws IOException {
    try (Git git = Git.open(repoDir.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repo = git.getRepository();
      ObjectId id = repo.resolve(Constants.R_HEADS + branch);
      if (id == null) {
        return null;
      }
      RevCommit c = walk.parseCommit(id);
      try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
        return tw == null
            ? null
            : new String(
                repo.open(tw.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }

  /** The head commit of {@code branch}. */
  static RevCommit head(Path repoDir, String branch) throws IOException {
    try (Git git = Git.open(repoDir.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      ObjectId id = git.getRepository().resolve(Constants.R_HEADS + branch);
      return id == null ? null : walk.parseCommit(id);
    }
  }

  @Override
  public void close() {
    engine.close();
  }
}
