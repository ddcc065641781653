package dev.orchestra.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How {@link LocalExecutor} starts a process: in a session and process group of its own, which the
 * process leads, with stdin from a file and stdout and stderr on pipes that the returned {@link
 * Process} reads. The JDK cannot do that alone; {@link #setsid()} does it by starting the program
 * through util-linux {@code setsid}, one {@code exec} more per process. A spawner that calls {@code
 * posix_spawn} with {@code POSIX_SPAWN_SETSID} saves that exec; it needs native access, so it lives
 * outside {@code core} ({@code runtime} wires it in).
 *
 * <p>Whatever the way, the child gets exactly {@link Launch#env()}, runs in {@link
 * Launch#workdir()}, and holds no descriptor of the JVM but 0, 1 and 2. Implementations are
 * thread-safe.
 */
public interface Spawner {

  /**
   * What to start.
   *
   * @param argv the command line; {@code argv[0]} is the program's absolute path (see {@link
   *     Programs}), so that no spawner searches {@code PATH}
   * @param env the whole environment of the process
   * @param workdir its working directory
   * @param stdin the file it reads on standard input ({@code /dev/null} for none)
   */
  record Launch(List<String> argv, Map<String, String> env, Path workdir, Path stdin) {
    public Launch {
      argv = List.copyOf(argv);
      env = Map.copyOf(env);
    }
  }

  /**
   * Whether the processes started lead a session and process group of their own; when not, they
   * share the JVM's and only their descendants and tagged processes can be ended.
   */
  boolean ownsGroup();

  /**
   * Starts {@code launch}. The returned process's {@link Process#getInputStream()} and {@link
   * Process#getErrorStream()} are its stdout and stderr, {@link Process#toHandle()} is usable after
   * it exited, and {@link Process#exitValue()} is 128 plus the signal for a process a signal ended.
   *
   * @throws IOException when the operating system refused to start it
   */
  Process spawn(Launch launch) throws IOException;

  /**
   * The pipes of {@code process}'s stdout and stderr as {@code /proc} names them ({@code
   * pipe:[INODE]}), which find a process that holds them after it left the group and cleared its
   * environment (see {@link ProcessSweep}); empty when unknown. Called right after {@link #spawn}.
   * This one reads them from the child's {@code /proc/PID/fd}, which is gone once a quick child has
   * exited and been reaped; a spawner that made the pipes itself knows them for sure.
   */
  default List<String> outputPipes(Process process) {
    return ProcFs.AVAILABLE ? ProcFs.outputPipes(process.pid()) : List.of();
  }

  /** The JDK's {@link ProcessBuilder} through {@code setsid}, or without a group of its own. */
  static Spawner setsid() {
    return SetsidSpawner.INSTANCE;
  }
}
