package dev.orchestra.runtime.spawn;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.orchestra.exec.Spawner;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Spawner} that starts each process with glibc's {@code posix_spawn} and {@code
 * POSIX_SPAWN_SETSID}, through JNA: the child calls {@code setsid(2)} itself, so it leads its own
 * session and process group without the extra {@code exec} of the {@code setsid} program (about 7 %
 * of a 1,000-node run of trivial commands, see docs/benchmarks.md).
 *
 * <p>What the child gets is what {@link Spawner#setsid()} gives it: the environment of the launch
 * and nothing else, its working directory ({@code posix_spawn_file_actions_addchdir_np}), stdin
 * opened from the launch's file, stdout and stderr on two new pipes, an empty signal mask, and no
 * other descriptor: {@code posix_spawn_file_actions_addclosefrom_np(3)} closes every descriptor of
 * the JVM above 2 in the child, whether or not it was opened close-on-exec.
 *
 * <p>Falls back to {@link Spawner#setsid()}, for good and with one debug line, when the C library
 * lacks any of that (glibc before 2.34, another libc), JNA cannot load, or {@code /proc} is missing
 * (the pipes are opened through {@code /proc/self/fd}). The library is loaded on the first launch,
 * so a command that starts no process never pays for it.
 */
public final class PosixSpawner implements Spawner {
  private static final Logger LOG = LoggerFactory.getLogger(PosixSpawner.class);
  private static final Path SELF_FD = Path.of("/proc/self/fd");
  private static final String SH = "/bin/sh";

  /** The JDK's encoding of file names and arguments, so that both spawners pass the same bytes. */
  private static final String ENCODING = System.getProperty("sun.jnu.encoding", "UTF-8");

  private static final Charset CHARSET = Charset.forName(ENCODING);

  private final String library;
  private volatile Optional<LibC> libc;

  /** The spawner on this machine's C library. */
  public PosixSpawner() {
    this("c");
  }

  /** A spawner on the C library named {@code library} ({@code "c"}), for tests of the fallback. */
  PosixSpawner(String library) {
    this.library = library;
  }

  /** Whether processes start through {@code posix_spawn} here, not through {@code setsid}. */
  public boolean usesPosixSpawn() {
    return libc().isPresent();
  }

  @Override
  public boolean ownsGroup() {
    return usesPosixSpawn() || Spawner.setsid().ownsGroup();
  }

  /** The pipes this spawner made for a child it started; {@code /proc} for the fallback's. */
  @Override
  public List<String> outputPipes(Process process) {
    return process instanceof SpawnedProcess spawned
        ? spawned.pipes()
        : Spawner.setsid().outputPipes(process);
  }

  @Override
  public Process spawn(Launch launch) throws IOException {
    Optional<LibC> c = libc();
    return c.isPresent() ? spawn(c.get(), launch) : Spawner.setsid().spawn(launch);
  }

  private Optional<LibC> libc() {
    Optional<LibC> loaded = libc;
    if (loaded == null) {
      synchronized (this) {
        loaded = libc;
        if (loaded == null) {
          loaded = load(library);
          libc = loaded;
        }
      }
    }
    return loaded;
  }

  /** The library, when it has everything a launch needs; empty (and why, at debug) when not. */
  private static Optional<LibC> load(String library) {
    try {
      if (!Files.isDirectory(SELF_FD)) {
        LOG.debug("no {}: processes start through setsid", SELF_FD);
        return Optional.empty();
      }
      NativeLibrary lib = NativeLibrary.getInstance(library);
      lib.getFunction("posix_spawn_file_actions_addclosefrom_np");
      lib.getFunction("posix_spawn_file_actions_addchdir_np");
      LibC c = Native.load(library, LibC.class, Map.of(Library.OPTION_STRING_ENCODING, ENCODING));
      try (var attr = new Memory(LibC.ATTR_SIZE)) {
        check(c, "posix_spawnattr_init", c.posix_spawnattr_init(attr));
        int setsid = c.posix_spawnattr_setflags(attr, LibC.POSIX_SPAWN_SETSID);
        c.posix_spawnattr_destroy(attr);
        if (setsid != 0) {
          LOG.debug("posix_spawn has no POSIX_SPAWN_SETSID: processes start through setsid");
          return Optional.empty();
        }
      }
      return Optional.of(c);
    } catch (LinkageError | IOException | RuntimeException e) {
      LOG.debug("posix_spawn cannot be used ({}): processes start through setsid", e.toString());
      return Optional.empty();
    }
  }

  private static Process spawn(LibC c, Launch launch) throws IOException {
    // Java streams over the pipes' read ends first, reopened through /proc (the same pipes; the
    // JDK has no public way to wrap a descriptor number), so that nothing can fail once the child
    // runs. Opening a pipe's read end does not block while its write end is open.
    int[] out = pipe(c);
    InputStream stdout = null;
    InputStream stderr = null;
    int[] err = null;
    try {
      String outName = name(out[0]);
      stdout = reopen(c, out[0]);
      err = pipe(c);
      String errName = name(err[0]);
      stderr = reopen(c, err[0]);
      int pid = posixSpawn(c, launch, out[1], err[1]);
      return SpawnedProcess.start(c, pid, stdout, stderr, List.of(outName, errName));
    } catch (IOException | RuntimeException e) {
      closeQuietly(stdout);
      closeQuietly(stderr);
      throw e;
    } finally {
      // The child has its own copies: readers see end-of-file once it and its children are done.
      c.close(out[1]);
      if (err != null) {
        c.close(err[1]);
      }
    }
  }

  /** Starts the launch with stdout and stderr on {@code out} and {@code err}; returns its pid. */
  private static int posixSpawn(LibC c, Launch launch, int out, int err) throws IOException {
    try (var actions = new Memory(LibC.FILE_ACTIONS_SIZE);
        var attr = new Memory(LibC.ATTR_SIZE);
        var mask = new Memory(LibC.SIGSET_SIZE)) {
      check(c, "posix_spawn_file_actions_init", c.posix_spawn_file_actions_init(actions));
      try {
        check(c, "posix_spawnattr_init", c.posix_spawnattr_init(attr));
        try {
          String workdir = launch.workdir().toString();
          String stdin = launch.stdin().toString();
          check(c, "addchdir", c.posix_spawn_file_actions_addchdir_np(actions, workdir));
          check(
              c,
              "addopen",
              c.posix_spawn_file_actions_addopen(actions, 0, stdin, LibC.O_RDONLY, 0));
          check(c, "adddup2", c.posix_spawn_file_actions_adddup2(actions, out, 1));
          check(c, "adddup2", c.posix_spawn_file_actions_adddup2(actions, err, 2));
          check(c, "addclosefrom", c.posix_spawn_file_actions_addclosefrom_np(actions, 3));
          short flags = (short) (LibC.POSIX_SPAWN_SETSID | LibC.POSIX_SPAWN_SETSIGMASK);
          check(c, "setflags", c.posix_spawnattr_setflags(attr, flags));
          check(c, "sigemptyset", c.sigemptyset(mask) == 0 ? 0 : Native.getLastError());
          check(c, "setsigmask", c.posix_spawnattr_setsigmask(attr, mask));
          var pid = new IntByReference();
          List<String> argv = launch.argv();
          try (var envp = new CStrings(environment(launch.env()), CHARSET)) {
            int error = spawn(c, pid, argv.get(0), actions, attr, argv, envp);
            if (error == LibC.ENOEXEC) {
              // An executable file without a #! line: execvp, and so setsid and the JDK, run it
              // with /bin/sh; posix_spawn does not.
              argv = Stream.concat(Stream.of(SH), argv.stream()).toList();
              error = spawn(c, pid, SH, actions, attr, argv, envp);
            }
            if (error != 0) {
              throw new IOException(
                  "'" + launch.argv().get(0) + "' could not be executed: " + c.strerror(error));
            }
          }
          return pid.getValue();
        } finally {
          c.posix_spawnattr_destroy(attr);
        }
      } finally {
        c.posix_spawn_file_actions_destroy(actions);
      }
    }
  }

  private static int spawn(
      LibC c,
      IntByReference pid,
      String path,
      Pointer actions,
      Pointer attr,
      List<String> argv,
      CStrings envp) {
    try (var args = new CStrings(argv, CHARSET)) {
      return c.posix_spawn(pid, path, actions, attr, args.pointer(), envp.pointer());
    }
  }

  private static List<String> environment(Map<String, String> env) {
    List<String> entries = new ArrayList<>(env.size());
    for (Map.Entry<String, String> e : env.entrySet()) {
      entries.add(e.getKey() + "=" + e.getValue());
    }
    return entries;
  }

  private static int[] pipe(LibC c) throws IOException {
    int[] fds = new int[2];
    if (c.pipe2(fds, LibC.O_CLOEXEC) != 0) {
      throw new IOException("cannot create a pipe: " + c.strerror(Native.getLastError()));
    }
    return fds;
  }

  /** The name {@code /proc} gives this JVM's descriptor {@code fd} ({@code pipe:[INODE]}). */
  private static String name(int fd) throws IOException {
    return Files.readSymbolicLink(SELF_FD.resolve(Integer.toString(fd))).toString();
  }

  private static InputStream reopen(LibC c, int fd) throws IOException {
    try {
      var pipe = new FileInputStream(SELF_FD.resolve(Integer.toString(fd)).toFile());
      // Not the FileInputStream itself: its readAllBytes seeks, which a pipe refuses (JDK 17).
      return new FilterInputStream(pipe) {};
    } finally {
      c.close(fd);
    }
  }

  private static void closeQuietly(InputStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // Nothing was read from it.
      }
    }
  }

  private static void check(LibC c, String what, int error) throws IOException {
    if (error != 0) {
      throw new IOException("posix_spawn: " + what + " failed: " + c.strerror(error));
    }
  }
}
