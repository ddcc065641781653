package dev.orchestra.exec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where programs were found on {@code PATH} lately, so that a run of many nodes searches {@code
 * PATH} once per program rather than once per process: on a 1,000-node run of {@code sh -c}
 * commands, with {@code /usr/bin} the tenth entry, the search was nine failed {@code access} calls
 * (each a Java exception inside {@link Files#isExecutable}) per process.
 *
 * <p>A remembered path is used only while it is still an executable file and for {@link #TTL} after
 * it was found, so that a program installed meanwhile in an earlier {@code PATH} directory is found
 * by the processes started after that. A {@code PATH} with a relative entry (which depends on the
 * working directory) and a program named by a path are looked up every time. Thread-safe.
 */
final class ProgramCache {
  /** How long a program found on {@code PATH} is taken to be there without a new search. */
  static final Duration TTL = Duration.ofSeconds(10);

  /** More distinct programs and {@code PATH}s than this (nodes may set their own) start over. */
  static final int MAX_ENTRIES = 256;

  private record Key(String program, String path) {}

  private record Found(String file, long atNanos) {}

  private final Map<Key, Found> found = new ConcurrentHashMap<>();

  /**
   * {@link Programs#requireExecutable}, from the cache when it can be.
   *
   * @throws dev.orchestra.OrchestraException.LaunchException as {@link Programs#requireExecutable}
   */
  String requireExecutable(String program, String path, Path workdir) {
    String searched = path == null ? Programs.DEFAULT_PATH : path;
    if (program.contains("/") || hasRelativeEntry(searched)) {
      return Programs.requireExecutable(program, path, workdir);
    }
    Key key = new Key(program, searched);
    long now = System.nanoTime();
    Found hit = found.get(key);
    if (hit != null
        && now - hit.atNanos() < TTL.toNanos()
        && Programs.isProgram(Path.of(hit.file()))) {
      return hit.file();
    }
    String file = Programs.requireExecutable(program, path, workdir);
    if (found.size() >= MAX_ENTRIES) {
      found.clear();
    }
    found.put(key, new Found(file, now));
    return file;
  }

  private static boolean hasRelativeEntry(String path) {
    for (String dir : path.split(File.pathSeparator, -1)) {
      if (!dir.startsWith("/")) {
        return true;
      }
    }
    return false;
  }
}
