package dev.orchestra.exec;

import dev.orchestra.OrchestraException.LaunchException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs processes on this machine ({@code executor: local}).
 *
 * <p>Each process gets the JVM's environment plus {@link ProcessSpec#env()}, runs in {@link
 * ProcessSpec#workdir()}, reads standard input from {@link ProcessSpec#stdin()} or from {@code
 * /dev/null} (agent CLIs may block forever on an open stdin pipe), and runs in its own process
 * group (see {@link ProcessGroups}) so that {@link Execution#kill()} reaches grandchildren and
 * daemons that stay in the group. Output lines go to the listener from two reader threads taken
 * from a pool shared by all executions; no thread or process is created per launch beyond those.
 *
 * <p>{@link Execution#await()} returns once the process has exited and both streams are drained.
 * When a background process it started keeps stdout or stderr open for more than {@link
 * LocalExecution#DRAIN_GRACE} after it exited, that process group is killed so that await cannot
 * hang; the exit status then carries a {@code detail} saying so. A daemon that closed its output
 * and stayed behind after a normal exit is left alone: finding it would cost a scan of {@code
 * /proc} on every exit. Every kill, by {@link Execution#kill()} or a {@link Watchdog}, ends it.
 *
 * <p>Thread-safe and stateless: one instance may serve the whole JVM.
 */
public final class LocalExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);
  private static final File DEV_NULL = new File("/dev/null");

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
    boolean ownGroup = ProcessGroups.available();
    var builder = new ProcessBuilder();
    builder.directory(workdir.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(spec.env());
    // setsid execs the program itself, so a missing program must be caught here, not by Java. It
    // gets the resolved path, which spares it a failed exec for every PATH entry before the right
    // one: on a 1,000-node run of trivial commands that search was a visible part of the time.
    String program = Programs.requireExecutable(argv.get(0), env.get("PATH"), workdir);
    if (ownGroup) {
      List<String> resolved = new ArrayList<>(argv);
      resolved.set(0, program);
      builder.command(ProcessGroups.inNewGroup(resolved));
    } else {
      builder.command(argv);
    }
    if (spec.stdin() != null) {
      if (!Files.isRegularFile(spec.stdin())) {
        throw new LaunchException(
            "cannot run '"
                + argv.get(0)
                + "': its stdin file '"
                + spec.stdin()
                + "' does not exist");
      }
      builder.redirectInput(ProcessBuilder.Redirect.from(spec.stdin().toFile()));
    } else {
      builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new LaunchException(
          "cannot run '" + argv.get(0) + "' in '" + workdir + "': " + e.getMessage(), e);
    }
    var execution = new LocalExecution(process, ownGroup ? process.pid() : -1, argv.get(0));
    LOG.debug("started {} as pid {} in {}", argv.get(0), process.pid(), workdir);
    ExecThreads.IO.execute(
        new OutputLines(
            process.getInputStream(), OutputStream.STDOUT, listener, execution::streamDrained));
    ExecThreads.IO.execute(
        new OutputLines(
            process.getErrorStream(), OutputStream.STDERR, listener, execution::streamDrained));
    return execution;
  }
}
