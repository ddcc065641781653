package dev.orchestra.agents;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.AgentRequest;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.workflow.CredentialRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The private {@code HOME} an agent CLI runs with: one per node of a run ({@code home} next to the
 * attempt directory the engine gives the agent, outside the records while the run runs; the engine
 * copies it, masked, into {@code NODE_DIR/home} of the records after each attempt), so that runs
 * never share a CLI's configuration or sessions, and the next attempt of the same node can resume
 * the session of the previous one. Owner-only permissions: CLIs keep credentials and transcripts
 * there.
 */
public final class AgentHome {

  /** Larger files in a home are left alone: CLIs do not write transcripts that big. */
  private static final long MAX_MASKED_FILE_BYTES = 64L << 20;

  private AgentHome() {}

  /**
   * The node's home directory, created (owner-only) when missing.
   *
   * @throws OrchestraException when it cannot be created
   */
  public static Path of(AgentRequest request) {
    Path attemptDir = request.attemptDir().toAbsolutePath();
    Path home = attemptDir.getParent().resolve("home");
    createPrivate(home);
    return home;
  }

  /**
   * Writes {@code content} to {@code relative} under {@code home} (creating its directories,
   * owner-only), replacing an existing file.
   *
   * @return the file
   * @throws OrchestraException when it cannot be written
   */
  public static Path write(Path home, String relative, String content) {
    Path file = home.resolve(relative).normalize();
    if (!file.startsWith(home.normalize())) {
      throw new IllegalArgumentException(
          "'" + relative + "' is outside the agent home '" + home + "'");
    }
    createPrivate(file.getParent());
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      restrict(file, "rw-------");
    } catch (IOException e) {
      throw unwritable("write '" + file + "'", e);
    }
    return file;
  }

  /**
   * Creates {@code dir} and its missing parents; the directories this creates are owner-only.
   *
   * @throws OrchestraException when it cannot be created
   */
  public static void createPrivate(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        return;
      }
      createPrivate(dir.toAbsolutePath().getParent());
      try {
        Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        // Another attempt thread made it first.
        return;
      }
      restrict(dir, "rwx------");
    } catch (IOException e) {
      throw unwritable("create the agent home '" + dir + "'", e);
    }
  }

  /**
   * A masker for the node's credentials as its agent sees them: the value of each variable its
   * {@code credentials} name ({@code {VAR: name}}, or {@code defaultVariable} for a bare name). The
   * CLIs keep transcripts in their home, which is part of the run's records.
   */
  public static SecretMasker credentialMasker(AgentRequest request, String defaultVariable) {
    SecretMasker masker = new SecretMasker();
    for (CredentialRef ref : request.node().credentialsOrEmpty()) {
      String value = request.env().get(ref.variable() != null ? ref.variable() : defaultVariable);
      if (value != null) {
        masker.add(value);
      }
    }
    return masker;
  }

  /**
   * Replaces the secrets of {@code masker} in every file under {@code home} (transcripts, caches),
   * so that the run's records hold none.
   *
   * @throws OrchestraException when a file cannot be rewritten
   */
  public static void mask(Path home, SecretMasker masker) {
    masker.maskFiles(home, MAX_MASKED_FILE_BYTES);
  }

  /**
   * The error for a file of the run's records that cannot be written: {@code cannot WHAT: WHY;
   * check that the runs directory is writable}.
   */
  static OrchestraException unwritable(String what, IOException e) {
    return new OrchestraException(
        "cannot " + what + ": " + e.getMessage() + "; check that the runs directory is writable",
        e);
  }

  private static void restrict(Path path, String perms) throws IOException {
    Set<String> views = path.getFileSystem().supportedFileAttributeViews();
    if (views.contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    }
  }
}
