package dev.orchestra.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;

/**
 * The one rule for every path a workflow names (docs/security.md, "Paths and workspaces"): context
 * files and globs, outputs, {@code exists} and {@code junit} globs and docker {@code mounts} are
 * inside the node's workspace; {@code prompt_file} and {@code uses} are inside the workflow's
 * repository. Inside means: after symbolic links are resolved (the real path of the longest part
 * that exists), so that a link checked out of a repository or made by an agent cannot lead out.
 * Where a file is read it must be a regular file, read within a size cap and a timeout ({@link
 * BoundedRead}). Under {@link Trust#LOCAL} paths may lead anywhere; the regular-file rule, the caps
 * and the timeout still hold.
 *
 * <p>Immutable and thread-safe. Resolving touches the file system (real paths, attributes) and
 * blocks on it; it reads no file.
 */
public final class WorkspacePaths {
  /** How long a read of one file may take when the caller names no timeout of its own. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofMinutes(1);

  private final Path root;
  private final String name;
  private final Trust trust;
  private final Duration readTimeout;

  private WorkspacePaths(Path root, String name, Trust trust, Duration readTimeout) {
    this.root = real(root.toAbsolutePath().normalize());
    this.name = name;
    this.trust = trust;
    this.readTimeout = readTimeout;
  }

  /**
   * Paths inside a node's workspace {@code dir}; reads of its files take at most {@code timeout}.
   */
  public static WorkspacePaths workspace(Path dir, Trust trust, Duration timeout) {
    return new WorkspacePaths(dir, "the workspace", trust, timeout);
  }

  /**
   * Paths inside the repository of {@code workflowFile} ({@link #repositoryOf}), for its {@code
   * prompt_file} and {@code uses}.
   */
  public static WorkspacePaths repository(Path workflowFile, Trust trust) {
    Path root = repositoryOf(workflowFile);
    boolean git = hasGit(root);
    return new WorkspacePaths(
        root,
        git ? "the workflow's repository" : "the workflow's directory",
        trust,
        DEFAULT_READ_TIMEOUT);
  }

  /**
   * The repository holding {@code workflowFile}: the nearest directory above it with a {@code .git}
   * (a checkout's directory, a worktree's file, or a link to either), or else the file's own
   * directory.
   */
  public static Path repositoryOf(Path workflowFile) {
    Path dir = workflowFile.toAbsolutePath().normalize().getParent();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (hasGit(d)) {
        return d;
      }
    }
    return dir == null ? Path.of("").toAbsolutePath() : dir;
  }

  /**
   * Whether {@code dir} has a {@code .git} that exists. Asked of {@link java.io.File}, which
   * answers a missing file with {@code false}: on Java 17 {@link Files#exists} throws and catches
   * an exception for each, and the server's submissions ask it of every directory up to {@code /}.
   */
  private static boolean hasGit(Path dir) {
    return dir.resolve(".git").toFile().exists();
  }

  /** The directory paths must stay in, its symbolic links resolved. */
  public Path root() {
    return root;
  }

  public Trust trust() {
    return trust;
  }

  /** How long one read may take. */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** These paths with reads taking at most {@code timeout}. */
  public WorkspacePaths withReadTimeout(Duration timeout) {
    return new WorkspacePaths(root, name, trust, timeout);
  }

  /** Where a path leads: {@link Inside} the root (or anywhere, when trusted), or refused. */
  public sealed interface Resolved {}

  /**
   * A path that may be used.
   *
   * @param path absolute; its symbolic links resolved as far as it exists (under {@link
   *     Trust#LOCAL}, as written)
   */
  public record Inside(Path path) implements Resolved {}

  /**
   * A path that may not be used.
   *
   * @param reason what is wrong, to follow the path in a message ({@code leads out of the workspace
   *     (/w) with '..'})
   */
  public record Refused(String reason) implements Resolved {}

  /**
   * Why a path as a workflow writes it cannot be inside a directory, without looking at the file
   * system: it is absolute, or leads out with {@code ..}. Empty under {@link Trust#LOCAL}, for a
   * template (its value is checked when the run renders it) and for a path that is fine as written.
   *
   * @param where what the path must be inside, for the message ({@code the workspace})
   */
  public static Optional<String> refusedAsWritten(String written, Trust trust, String where) {
    if (trust.isLocal() || written == null || written.contains("{{")) {
      return Optional.empty();
    }
    String path = written.strip();
    if (path.startsWith("/") || path.startsWith("~")) {
      return Optional.of("is an absolute path; it must be relative to " + where);
    }
    try {
      if (Path.of(path).normalize().startsWith("..")) {
        return Optional.of("leads out of " + where + " with '..'");
      }
    } catch (InvalidPathException e) {
      return Optional.of("is not a valid path: " + e.getReason());
    }
    return Optional.empty();
  }

  /** {@code written} relative to the root. */
  public Resolved resolve(String written) {
    return resolve(root, written);
  }

  /**
   * {@code written} relative to {@code base} (a directory inside the root, e.g. the directory of a
   * composed workflow): refused when it is absolute, leads out of the root with {@code ..}, or
   * resolves outside it through a symbolic link.
   */
  public Resolved resolve(Path base, String written) {
    Path candidate;
    try {
      candidate = real(base.toAbsolutePath().normalize()).resolve(written.strip()).normalize();
    } catch (InvalidPathException e) {
      return new Refused("is not a valid path: " + e.getReason());
    }
    if (trust.isLocal()) {
      return new Inside(candidate);
    }
    if (Path.of(written.strip()).isAbsolute()) {
      return new Refused(
          "is an absolute path; it must be inside " + where() + "; " + Trust.HOW_TO_TRUST);
    }
    return contain(candidate);
  }

  /**
   * {@code path} (absolute, or relative to the root), e.g. one a glob found: refused when it or a
   * symbolic link on its way leads outside the root.
   */
  public Resolved contain(Path path) {
    Path candidate = root.resolve(path).normalize();
    if (trust.isLocal()) {
      return new Inside(candidate);
    }
    if (!candidate.startsWith(root)) {
      return new Refused("leads out of " + where() + "; " + Trust.HOW_TO_TRUST);
    }
    Path real = real(candidate);
    if (!real.startsWith(root)) {
      return new Refused(
          "resolves to "
              + real
              + " through a symbolic link, outside "
              + where()
              + "; "
              + Trust.HOW_TO_TRUST);
    }
    return new Inside(real);
  }

  /**
   * {@code written} (relative to {@code base}) if it is a regular file: {@link #resolve(Path,
   * String)}, then refused when it does not exist, is a directory, a device, a FIFO or a socket.
   */
  public Resolved regularFile(Path base, String written) {
    return regularFile(resolve(base, written));
  }

  /** A path that {@link #contain} accepts, if it is a regular file. */
  public Resolved regularFile(Path path) {
    return regularFile(contain(path));
  }

  private Resolved regularFile(Resolved resolved) {
    if (!(resolved instanceof Inside inside)) {
      return resolved;
    }
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(inside.path(), BasicFileAttributes.class, links());
      String kind = BoundedRead.kind(attrs);
      return kind == null ? resolved : new Refused(kind + "; only a regular file is read");
    } catch (NoSuchFileException e) {
      return new Refused("does not exist");
    } catch (IOException e) {
      return new Refused("cannot be examined: " + e.getMessage());
    }
  }

  /**
   * The text of {@code file}, a path this rule accepted ({@link Inside#path()}), read as {@link
   * BoundedRead#text} says within this rule's timeout. Under {@link Trust#UNTRUSTED} a symbolic
   * link in its place (made since it was resolved) is refused, not followed.
   *
   * @param what the file for messages ({@code output 'plan' of node 'a' (plan.md)})
   * @throws IOException naming {@code what} and the problem
   */
  public String readText(Path file, String what, long capBytes) throws IOException {
    return BoundedRead.text(file, what, capBytes, readTimeout, trust.isLocal());
  }

  /** The bytes of {@code file}, as {@link #readText}. */
  public byte[] readBytes(Path file, String what, long capBytes) throws IOException {
    return BoundedRead.bytes(file, what, capBytes, readTimeout, trust.isLocal());
  }

  private LinkOption[] links() {
    return trust.isLocal() ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
  }

  /** {@code the workspace (/w)}. */
  public String where() {
    return name + " (" + root + ")";
  }

  /** The real path of the longest part of {@code path} that exists, with the rest appended. */
  private static Path real(Path path) {
    Path rest = null;
    for (Path p = path; p != null; p = p.getParent()) {
      try {
        Path real = p.toRealPath();
        return rest == null ? real : real.resolve(rest).normalize();
      } catch (IOException e) {
        Path name = p.getFileName();
        if (name == null) {
          break;
        }
        rest = rest == null ? name : name.resolve(rest);
      }
    }
    return path;
  }
}
