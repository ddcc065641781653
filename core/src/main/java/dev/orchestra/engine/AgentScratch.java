package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.SecretMasker;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where agents write their own files while they run: outside the run's records, so that no byte an
 * agent writes reaches the records unmasked, even for a moment or after a {@code kill -9}. Each
 * attempt's agent gets {@code ROOT/RUN/NODE/ATTEMPT} as its attempt directory (the command agent's
 * prompt, feedback and output files, the AI CLIs' prompt files) and {@code ROOT/RUN/NODE/home} as
 * the node's home ({@code AgentHome}: CLI configuration and transcripts, kept across the node's
 * attempts so that the next one can resume the session). When the attempt ends, {@link #export}
 * copies them, masked, into the attempt's records and the node's {@code home} there, and removes
 * the attempt's directory; the run's whole directory goes when the run ends, and at a resume (what
 * an interrupted session left there is not needed: sessions do not carry over a resume).
 *
 * <p>{@code ROOT} is {@code $ORCHESTRA_SCRATCH} when set, else {@code /dev/shm/orchestra-USER}
 * where {@code /dev/shm} is a memory file system with at least {@link #MIN_SHM_BYTES} free (so the
 * unmasked bytes never reach a disk), else {@code TMPDIR/orchestra-USER}; owner-only, and refused
 * when it belongs to another user. Thread-safe: attempts use distinct directories.
 */
final class AgentScratch {
  private static final Logger LOG = LoggerFactory.getLogger(AgentScratch.class);

  /** The variable that names the scratch root. */
  static final String VARIABLE = "ORCHESTRA_SCRATCH";

  /** {@code /dev/shm} is used only with this much room: agents' homes can hold megabytes. */
  static final long MIN_SHM_BYTES = 512L << 20;

  /** Larger files are not copied into the records: no agent transcript is that big. */
  static final long MAX_EXPORTED_BYTES = 64L << 20;

  private final Path root;

  /**
   * Whether {@link #ownRoot} found the root this user's and made it owner-only. Checked once: the
   * root is owner-only from then on, so only this user can replace it, and a root that is gone is
   * checked again when it is made anew.
   */
  private volatile boolean rootOwned;

  AgentScratch(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The scratch root for an engine whose environment is {@code env}. */
  static AgentScratch from(Map<String, String> env) {
    String given = env.get(VARIABLE);
    if (given != null && !given.isBlank()) {
      return new AgentScratch(Path.of(given));
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
    Path shm = Path.of("/dev/shm");
    try {
      if (Files.isDirectory(shm) && Files.isWritable(shm)) {
        FileStore store = Files.getFileStore(shm);
        if (store.type().equals("tmpfs") && store.getUsableSpace() >= MIN_SHM_BYTES) {
          return new AgentScratch(shm.resolve("orchestra-" + user));
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot use /dev/shm for agents' scratch: {}", e.toString());
    }
    return new AgentScratch(Path.of(System.getProperty("java.io.tmpdir"), "orchestra-" + user));
  }

  Path root() {
    return root;
  }

  /**
   * A fresh, empty attempt directory for the agent of {@code node}'s attempt {@code attempt}; its
   * parent holds the node's home.
   *
   * @throws OrchestraException when it cannot be made, or the root is another user's
   */
  Path attempt(String runId, String node, int attempt) {
    Path dir = root.resolve(runId).resolve(node).resolve(Integer.toString(attempt));
    try {
      ownRoot();
      delete(dir);
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot create the agent's directory "
              + dir
              + ": "
              + e.getMessage()
              + "; set "
              + VARIABLE
              + " to a writable directory",
          e);
    }
  }

  /**
   * Copies what the agent left in {@code scratch} (an {@link #attempt} directory) into the
   * attempt's records, masked, without replacing the records' own files (which hold the masked
   * prompt and output already), and then removes it; and copies the node's home next to it over the
   * records' {@code home} next to the attempt's, masked. Empty files of the attempt directory (the
   * command agent's feedback file of a first attempt) hold nothing and stay out, and so do files
   * larger than {@link #MAX_EXPORTED_BYTES} and symbolic links.
   *
   * @param records the attempt's records directory, asked for only when there is a file to copy
   * @throws OrchestraException when the records cannot be written
   */
  void export(Path scratch, Supplier<Path> records, SecretMasker masker) {
    try {
      List<Path> entries = entries(scratch);
      List<Path> files = regularFiles(entries, false);
      Path target = files.isEmpty() ? null : records.get();
      if (target != null) {
        copy(scratch, files, target, masker, false);
      }
      if (entries.isEmpty()) {
        delete(scratch); // no longer a directory: whatever the agent left in its place
      } else {
        delete(entries);
      }
      Path home = scratch.getParent().resolve("home");
      List<Path> homeFiles = files(home, true);
      if (!homeFiles.isEmpty()) {
        Path attemptRecords = target != null ? target : records.get();
        copy(home, homeFiles, attemptRecords.getParent().resolve("home"), masker, true);
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot copy the agent's files from "
              + scratch
              + " into the records: "
              + e.getMessage()
              + "; check free space and permissions",
          e);
    }
  }

  /** Removes what the agents of run {@code runId} left; a failure is logged, not thrown. */
  void remove(String runId) {
    try {
      delete(root.resolve(runId));
    } catch (IOException e) {
      LOG.warn("cannot remove the agents' scratch of run {}: {}", runId, e.toString());
    }
  }

  /**
   * The regular files under {@code dir} (none when it is not a directory), empty ones too or not.
   */
  private static List<Path> files(Path dir, boolean empty) throws IOException {
    return regularFiles(entries(dir), empty);
  }

  /** {@code dir} and everything under it, parents before children; none when it is no directory. */
  private static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.toList();
    }
  }

  private static List<Path> regularFiles(List<Path> entries, boolean empty) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path p : entries) {
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (empty || Files.size(p) > 0)) {
        files.add(p);
      }
    }
    return files;
  }

  private static void copy(
      Path from, List<Path> files, Path to, SecretMasker masker, boolean replace)
      throws IOException {
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      long size = Files.size(file);
      if (size > MAX_EXPORTED_BYTES) {
        LOG.warn(
            "{} ({} bytes) is not copied into the run's records: larger than {} bytes",
            file,
            size,
            MAX_EXPORTED_BYTES);
        continue;
      }
      Files.createDirectories(target.getParent());
      Path temp = target.resolveSibling(target.getFileName() + ".copying");
      Files.write(temp, masker.mask(Files.readAllBytes(file)));
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /** Creates the root owner-only, or checks that an existing one is this user's. */
  private void ownRoot() throws IOException {
    if (!Files.isDirectory(root)) {
      rootOwned = false;
      Files.createDirectories(root);
    } else if (rootOwned) {
      return;
    }
    if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    UserPrincipal me =
        root.getFileSystem()
            .getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name"));
    UserPrincipal owner = Files.getOwner(root, LinkOption.NOFOLLOW_LINKS);
    if (!owner.equals(me) || Files.isSymbolicLink(root)) {
      throw new IOException(
          root + " belongs to " + owner.getName() + ", not to " + me.getName() + " (or is a link)");
    }
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    rootOwned = true;
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      delete(walk.toList());
    }
  }

  /** Deletes {@code entries} (as {@link #entries} lists them), children before their parents. */
  private static void delete(List<Path> entries) throws IOException {
    for (Path p : entries.stream().sorted(Comparator.reverseOrder()).toList()) {
      Files.deleteIfExists(p);
    }
  }
}
