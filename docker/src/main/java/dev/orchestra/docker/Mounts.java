package dev.orchestra.docker;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.exec.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bind mounts of one container. The workspace, and the directories that the process's {@code
 * HOME}, {@code *_HOME} and {@code ORCHESTRA_*} variables point at (its per-node home, the attempt
 * directory holding {@code ORCHESTRA_PROMPT_FILE} …), are mounted read-write at the same path, so
 * that paths in prompts, env and checks mean the same file inside and outside; so is the
 * repository's git directory when the workspace is a git worktree ({@code isolation: branch}). The
 * node's extra {@code mounts} are read-only unless they end in {@code :rw}.
 */
final class Mounts {
  /** Host directories never mounted because an env variable named a file in them. */
  private static final Set<Path> SYSTEM =
      Set.of(
          Path.of("/"),
          Path.of("/bin"),
          Path.of("/sbin"),
          Path.of("/usr"),
          Path.of("/lib"),
          Path.of("/lib64"),
          Path.of("/etc"),
          Path.of("/proc"),
          Path.of("/sys"),
          Path.of("/dev"),
          Path.of("/tmp"),
          Path.of("/var"),
          Path.of("/run"));

  private Mounts() {}

  /**
   * Parses one {@code mounts} entry, {@code /host:/container[:ro|:rw]}.
   *
   * @throws LaunchException naming the entry and the expected form when it is malformed
   */
  static Bind parse(String entry) {
    String[] parts = entry.split(":", -1);
    boolean rw = false;
    if (parts.length == 3) {
      if (!parts[2].equals("ro") && !parts[2].equals("rw")) {
        throw new LaunchException(
            "docker mount '" + entry + "' ends in '" + parts[2] + "'; use ':ro' or ':rw'");
      }
      rw = parts[2].equals("rw");
    }
    if (parts.length < 2
        || parts.length > 3
        || !parts[0].startsWith("/")
        || !parts[1].startsWith("/")) {
      throw new LaunchException(
          "docker mount '"
              + entry
              + "' is not of the form /host/path:/container/path[:ro|:rw] with absolute paths");
    }
    return new Bind(parts[0], new Volume(parts[1]), rw ? AccessMode.rw : AccessMode.ro);
  }

  /** The binds for {@code spec}: workspace, directories its env points at, then {@code extra}. */
  static List<Bind> of(ProcessSpec spec, Path workdir, List<String> extra) {
    Map<Path, Boolean> same = new LinkedHashMap<>();
    same.put(workdir, true);
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      if (!isOrchestraPath(e.getKey())) {
        continue;
      }
      Path dir = directoryOf(e.getValue());
      if (dir != null) {
        same.putIfAbsent(dir, true);
      }
    }
    Path gitDir = worktreeGitDir(workdir);
    if (gitDir != null) {
      same.putIfAbsent(gitDir, true);
    }
    if (spec.stdin() != null) {
      Path parent = spec.stdin().toAbsolutePath().getParent();
      if (parent != null && !SYSTEM.contains(parent)) {
        same.putIfAbsent(parent, true);
      }
    }
    List<Path> dirs = new ArrayList<>(same.keySet());
    List<Bind> binds = new ArrayList<>();
    for (Path dir : dirs) {
      if (dirs.stream().anyMatch(other -> !other.equals(dir) && dir.startsWith(other))) {
        continue; // inside another mounted directory already
      }
      binds.add(new Bind(dir.toString(), new Volume(dir.toString()), AccessMode.rw));
    }
    for (String entry : extra) {
      binds.add(parse(entry));
    }
    return binds;
  }

  /**
   * The repository's git directory when {@code workdir} is a git worktree (its {@code .git} is a
   * file {@code gitdir: REPO/.git/worktrees/NAME}): without it, git in the container cannot read
   * the worktree's history or commit. {@code null} for anything else.
   */
  static Path worktreeGitDir(Path workdir) {
    Path dotGit = workdir.resolve(".git");
    if (!Files.isRegularFile(dotGit)) {
      return null;
    }
    try {
      String line = Files.readString(dotGit).strip();
      if (!line.startsWith("gitdir:")) {
        return null;
      }
      Path worktreeDir = workdir.resolve(line.substring("gitdir:".length()).strip()).normalize();
      Path commondir = worktreeDir.resolve("commondir");
      Path common =
          Files.isRegularFile(commondir)
              ? worktreeDir.resolve(Files.readString(commondir).strip()).normalize()
              : worktreeDir;
      return Files.isDirectory(common) ? common : null;
    } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  /**
   * Whether a variable is one whose directory Orchestra or an agent adapter set up for the process:
   * {@code HOME}, {@code *_HOME} (a CLI's config home) and {@code ORCHESTRA_*} (prompt, output,
   * feedback files). Other variables are the user's: a path there is not mounted, since a node's
   * {@code mounts} is how a user shares a host directory with a container on purpose.
   */
  private static boolean isOrchestraPath(String name) {
    return name.equals("HOME") || name.endsWith("_HOME") || name.startsWith("ORCHESTRA_");
  }

  /**
   * The directory an env value refers to: the value itself when it is an existing directory, its
   * parent when that is an existing directory; {@code null} for anything else (words, URLs, search
   * paths) and for system directories, which the image has its own of.
   */
  private static Path directoryOf(String value) {
    if (value.isEmpty() || value.charAt(0) != '/' || value.indexOf(':') >= 0) {
      return null;
    }
    Path p;
    try {
      p = Path.of(value).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
    // A file the process is to write (ORCHESTRA_OUTPUT_FILE) need not exist yet: its directory
    // does.
    Path dir = Files.isDirectory(p) ? p : p.getParent();
    if (dir == null || !Files.isDirectory(dir) || SYSTEM.contains(dir)) {
      return null;
    }
    return dir;
  }
}
