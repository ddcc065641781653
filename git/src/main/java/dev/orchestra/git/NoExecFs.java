package dev.orchestra.git;

import dev.orchestra.secret.Credentials;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.FS_POSIX;
import org.eclipse.jgit.util.ProcessResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file system JGit works through for the run's repositories: it runs no program a repository
 * names. A node's worktree is the node's to write, {@code .git/} included, so a hook ({@code
 * .git/hooks/post-commit}) or a filter driver ({@code filter.x.clean} in {@code .git/config}) there
 * is the node's code; JGit would run it in Orchestra's own process, on this machine (also for a
 * node in a container), with Orchestra's environment and no timeout. Here hooks are never found and
 * a shell command is refused, so such a commit fails instead, naming the program.
 *
 * <p>The one program JGit itself runs is the system {@code git}, once per JVM, to find the system
 * configuration file ({@code git config --system --show-origin --list}); {@link #INSTANCE} asks it
 * first, with the JVM's environment minus its credential variables ({@link
 * Credentials#removeVariables}), and hands the answer to JGit so that JGit does not ask with the
 * full environment. Thread-safe.
 */
final class NoExecFs extends FS_POSIX {
  private static final Logger LOG = LoggerFactory.getLogger(NoExecFs.class);

  /** The instance every repository of the git module is opened with. */
  static final FS INSTANCE = create();

  private NoExecFs(FS src) {
    super(src);
  }

  private static FS create() {
    // FS.DETECTED serves JGit's own reads of the system configuration (SystemReader); the copy
    // constructor carries the answer over to this instance.
    FS.DETECTED.setGitSystemConfig(systemConfig());
    return new NoExecFs(FS.DETECTED);
  }

  @Override
  public FS newInstance() {
    return new NoExecFs(this);
  }

  @Override
  public File findHook(Repository repository, String hookName) {
    return null;
  }

  @Override
  public ProcessResult runHookIfPresent(
      Repository repository,
      String hookName,
      String[] args,
      OutputStream out,
      OutputStream err,
      String stdin)
      throws JGitInternalException {
    log(repository, hookName);
    return new ProcessResult(ProcessResult.Status.NOT_PRESENT);
  }

  @Override
  public ProcessResult runHookIfPresent(Repository repository, String hookName, String[] args)
      throws JGitInternalException {
    log(repository, hookName);
    return new ProcessResult(ProcessResult.Status.NOT_PRESENT);
  }

  @Override
  public ProcessBuilder runInShell(String cmd, String[] args) {
    throw new UnsupportedOperationException(
        "Orchestra runs no program that a repository's configuration names, and this one asks for"
            + " '"
            + cmd
            + "' (a filter driver or another command in its .git/config or .gitattributes); remove"
            + " it from the node's worktree");
  }

  private static void log(Repository repository, String hookName) {
    File hook =
        repository == null ? null : new File(repository.getDirectory(), "hooks/" + hookName);
    if (hook != null && hook.isFile()) {
      LOG.warn("git hook {} was not run: Orchestra runs no git hooks", hook);
    }
  }

  /**
   * The system configuration file the system {@code git} names, as JGit would find it, or {@code
   * null} when there is no {@code git} or it names none.
   */
  private static File systemConfig() {
    String git = gitOnPath();
    if (git == null) {
      return null;
    }
    ProcessBuilder builder =
        new ProcessBuilder(git, "config", "--system", "--show-origin", "--list", "-z")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    Credentials.removeVariables(builder.environment()).put("GIT_EDITOR", "echo");
    try {
      Process p = builder.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      // "file:/etc/gitconfig\0key\nvalue\0…"; nothing when there is no system configuration.
      int nul = out.indexOf('\0');
      if (nul <= 0 || !out.startsWith("file:")) {
        return null;
      }
      return new File(out.substring("file:".length(), nul));
    } catch (IOException e) {
      LOG.debug("cannot ask git for its system configuration: {}", e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String gitOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File candidate = new File(dir.isEmpty() ? "." : dir, "git");
      if (candidate.isFile() && candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}
