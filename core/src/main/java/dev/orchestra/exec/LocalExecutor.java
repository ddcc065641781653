package dev.orchestra.exec;

import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.secret.Credentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs processes on this machine ({@code executor: local}).
 *
 * <p>Each process gets the JVM's environment without its credential variables ({@code
 * ORCHESTRA_CREDENTIAL_*}, see {@link Credentials#removeVariables}) plus {@link ProcessSpec#env()},
 * runs in {@link ProcessSpec#workdir()}, reads standard input from {@link ProcessSpec#stdin()} or
 * from {@code /dev/null} (agent CLIs may block forever on an open stdin pipe), and runs in its own
 * process group, which its {@link Spawner} gives it (see {@link ProcessGroups}). Output lines go to
 * the listener from two reader threads taken from a pool shared by all executions; no thread or
 * process is created per launch beyond those.
 *
 * <p><b>Nothing is left running.</b> Every process also gets a variable of its own, {@code
 * ORCHESTRA_TAG_<16 hex digits>=<run>/<node>/<attempt>} ({@link ProcessTag}), which everything it
 * starts inherits, also through {@code setsid} and double forks. When the process has exited, and
 * when it is killed ({@link Execution#kill()}: a timeout, a cancel), the live members of its group
 * and every process carrying its variable are ended: SIGTERM, up to 2 seconds, SIGKILL, re-scanning
 * {@code /proc} until none is left ({@link ProcessSweep}). {@link Execution#await()} returns after
 * that, and the {@link ExitStatus#ended()} list names what was ended besides the process itself. A
 * process that left the group <em>and</em> cleared or replaced its environment (e.g. {@code setsid
 * env -i …}) is still found while it holds the process's stdout or stderr pipe open (the pipes are
 * read from {@code /proc/PID/fd} when the process starts). Out of reach are only processes that did
 * all three — left the group, cleared the environment and closed or replaced the output (a daemon
 * proper; run untrusted work in a container, where everything ends with it) — processes whose
 * environment and descriptors this JVM may not read (another user's, or one that made itself
 * non-dumpable, as {@code ssh-agent} does, unless the JVM runs as root), and, on machines without
 * {@code /proc}, anything that left the process tree. When such a process still holds stdout or
 * stderr open, {@code await} stops waiting for the output {@link LocalExecution#DRAIN_GRACE} after
 * everything else ended and says so in {@link ExitStatus#detail()}.
 *
 * <p>Output that a process writes after the process it belongs to has exited may be lost: the JDK
 * closes the pipes of an exited process unless a reader is blocked in them at that moment. So an
 * open pipe is no sign of a leftover process, and none is needed: the sweep finds leftovers whether
 * they hold the output or not.
 *
 * <p>Thread-safe: one instance may serve the whole JVM. Its only state is where it found programs
 * on {@code PATH} in the last seconds ({@link ProgramCache}).
 */
public final class LocalExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
  private static final Path DEV_NULL = Path.of("/dev/null");

  private final Spawner spawner;
  private final ProgramCache programs = new ProgramCache();

  /** An executor that starts processes through {@code setsid} ({@link Spawner#setsid()}). */
  public LocalExecutor() {
    this(Spawner.setsid());
  }

  /** An executor that starts processes with {@code spawner}. */
  public LocalExecutor(Spawner spawner) {
    this.spawner = Objects.requireNonNull(spawner, "spawner");
  }

  /**
   * {@inheritDoc}
   *
   * @throws LaunchException when the program is not found or not executable, or the working
   *     directory or stdin file does not exist; the message names them
   */
  @Override
  public Execution start(ProcessSpec spec, OutputListener listener) {
    List<String> argv = spec.argv();
    if (argv.isEmpty()) {
      throw new LaunchException("cannot start a process with an empty command line");
    }
    Path workdir = spec.workdir() != null ? spec.workdir() : Path.of("").toAbsolutePath();
    if (!Files.isDirectory(workdir)) {
      throw new LaunchException(
          "cannot run '"
              + argv.get(0)
              + "': the working directory '"
              + workdir
              + "' does not exist or is not a directory; create it or fix the workspace");
    }
    // Credentials reach a process only through its spec: the JVM's ORCHESTRA_CREDENTIAL_*
    // variables are Orchestra's input, not something every child may read from /proc.
    Map<String, String> env = Credentials.removeVariables(new HashMap<>(System.getenv()));
    env.putAll(spec.env());
    String tag = ProcessTag.newName();
    env.put(tag, ProcessTag.value(spec.labels()));
    // The spawner execs the program itself (setsid does), so a missing program must be caught
    // here, with a message that names it. The resolved path spares a failed exec for every PATH
    // entry before the right one: on a 1,000-node run of trivial commands that search was a
    // visible part of the time, and so was searching PATH for the same program every time.
    List<String> resolved = new ArrayList<>(argv);
    resolved.set(0, programs.requireExecutable(argv.get(0), env.get("PATH"), workdir));
    Path stdin = DEV_NULL;
    if (spec.stdin() != null) {
      if (!Files.isRegularFile(spec.stdin())) {
        throw new LaunchException(
            "cannot run '"
                + argv.get(0)
                + "': its stdin file '"
                + spec.stdin()
                + "' does not exist");
      }
      stdin = spec.stdin().toAbsolutePath();
    }
    boolean ownGroup = spawner.ownsGroup();
    Process process;
    long startedNanos = System.nanoTime();
    try {
      process = spawner.spawn(new Spawner.Launch(resolved, env, workdir.toAbsolutePath(), stdin));
    } catch (IOException e) {
      throw new LaunchException(
          "cannot run '" + argv.get(0) + "' in '" + workdir + "': " + e.getMessage(), e);
    }
    // A daemon that clears its environment is still found by the output pipe it keeps open.
    List<String> pipes = spawner.outputPipes(process);
    var execution =
        new LocalExecution(
            process, ownGroup ? process.pid() : -1, argv.get(0), tag, pipes, startedNanos);
    LOG.debug("started {} as pid {} in {}", argv.get(0), process.pid(), workdir);
    ExecThreads.IO.execute(
        new OutputLines(
            process.getInputStream(),
            OutputStream.STDOUT,
            execution.guard(listener),
            execution::streamDrained));
    ExecThreads.IO.execute(
        new OutputLines(
            process.getErrorStream(),
            OutputStream.STDERR,
            execution.guard(listener),
            execution::streamDrained));
    return execution;
  }
}
