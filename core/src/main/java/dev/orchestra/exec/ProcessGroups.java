package dev.orchestra.exec;

import dev.orchestra.secret.Credentials;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process groups on Linux/Unix, from Java, which has no API for them.
 *
 * <p>A process is put into its own group by launching it through util-linux {@code setsid}: the
 * JVM's children are never group leaders, so {@code setsid} calls {@code setsid(2)} and then {@code
 * exec}s the program without forking, which keeps the pid the JVM knows and makes it the group id
 * (a test checks this). That costs one extra {@code exec} per launch: starting {@code true} 200
 * times at parallelism 2 on a 2-core machine under heavy load measured 5.5-7 ms per process without
 * {@code setsid} and 14-18 ms with it (JVM flag {@code -Djdk.lang.Process.launchMechanism=VFORK};
 * the JDK 17 default, {@code POSIX_SPAWN}, adds an exec of its own {@code jspawnhelper} and
 * measured 15-21 ms without and 24-30 ms with). {@code ninja -j2} took 18-20 ms per {@code true} at
 * the same time. Nothing else is spawned on a normal exit.
 *
 * <p>A group is signalled by the shell's {@code kill -s SIG -- -PGID}, a short-lived helper process
 * spawned only when something must be killed. The kernel delivers such a signal to every member of
 * the group at once, including double-forked daemons that stayed in the group and children forked
 * while the signal is delivered.
 */
final class ProcessGroups {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);

  /** The {@code setsid} program, or {@code null} when this machine has none. */
  static final String SETSID = find("setsid");

  private ProcessGroups() {}

  /** Whether launched processes get their own group here. */
  static boolean available() {
    return SETSID != null;
  }

  /** {@code argv} prefixed so that it starts in a new session and process group. */
  static List<String> inNewGroup(List<String> argv) {
    var prefixed = new java.util.ArrayList<String>(argv.size() + 2);
    prefixed.add(SETSID);
    prefixed.add("--");
    prefixed.addAll(argv);
    return prefixed;
  }

  /**
   * Sends {@code signal} ({@code TERM}, {@code KILL}) to every process in group {@code pgid}.
   * Blocks until the helper has run (milliseconds).
   */
  static void signal(long pgid, String signal) {
    try {
      var builder =
          new ProcessBuilder(
                  "sh", "-c", "kill -s \"$1\" -- \"-$2\" 2>/dev/null", "sh", signal, "" + pgid)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      Credentials.removeVariables(builder.environment());
      var helper = builder.start();
      helper.waitFor();
    } catch (IOException e) {
      LOG.warn("could not signal process group {} with {}: {}", pgid, signal, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String find(String program) {
    String path = System.getenv("PATH");
    var dirs = new java.util.ArrayList<String>();
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return candidate.toString();
      }
    }
    LOG.warn(
        "'{}' was not found on PATH: processes will not get their own process group, so a kill"
            + " reaches only the process and its descendants, not daemons that left the tree."
            + " Install util-linux to fix this.",
        program);
    return null;
  }
}
