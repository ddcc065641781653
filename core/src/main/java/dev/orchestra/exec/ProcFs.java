package dev.orchestra.exec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The few facts about other processes that Linux's {@code /proc} tells and Java does not: a
 * process's group, state and start time ({@code stat}), its environment ({@code environ}), its
 * command line, the pipes its file descriptors are ({@code fd/}), and the pid the kernel handed out
 * last ({@code loadavg}). Every read answers "nothing" rather than throwing when the process exited
 * meanwhile or may not be read.
 */
final class ProcFs {
  private static final Path PROC = Path.of("/proc");
  private static final long SELF = ProcessHandle.current().pid();

  /** Whether this machine has a Linux {@code /proc}; without it nothing here finds anything. */
  static final boolean AVAILABLE = Files.isReadable(PROC.resolve("self/stat"));

  /** The longest command line kept for a report; longer ones are cut and end in {@code …}. */
  static final int MAX_COMMAND_CHARS = 120;

  private ProcFs() {}

  /**
   * The fields of {@code /proc/PID/stat} that tell whose a process is.
   *
   * @param pid the process id
   * @param state the state letter ({@code R}, {@code S}, … {@code Z} for a zombie)
   * @param ppid the parent's pid
   * @param pgrp the process group id
   * @param startTicks when it started, in clock ticks since boot (unique per pid over time)
   * @param comm the program name the kernel keeps (at most 15 characters)
   */
  record Stat(long pid, char state, long ppid, long pgrp, long startTicks, String comm) {
    /** Whether the process has not exited yet: a zombie has, only its parent has not seen it. */
    boolean live() {
      return state != 'Z' && state != 'X';
    }
  }

  /** The pids of all processes (not threads) that exist now, in no particular order. */
  static long[] pids() {
    String[] names = new File("/proc").list();
    if (names == null) {
      return new long[0];
    }
    long[] pids = new long[names.length];
    int n = 0;
    for (String name : names) {
      long pid = parsePid(name);
      if (pid > 0) {
        pids[n++] = pid;
      }
    }
    return Arrays.copyOf(pids, n);
  }

  private static long parsePid(String name) {
    if (name.isEmpty() || name.length() > 18) {
      return -1;
    }
    long pid = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      pid = pid * 10 + (c - '0');
    }
    return pid;
  }

  /**
   * Whether {@code pid} is a process rather than a thread of one: {@code /proc} lists only
   * processes but also answers for the id of any thread. {@code false} when it is gone.
   */
  static boolean isProcess(long pid) {
    try {
      for (String line :
          Files.readAllLines(
              PROC.resolve(Long.toString(pid)).resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Tgid:")) {
          return parsePid(line.substring(5).trim()) == pid;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /**
   * Whether {@code pid} is the id of one of this JVM's own threads now ({@code /proc/self/task/}
   * lists them): one {@code stat} of a directory, where telling a thread apart by its {@code stat},
   * {@code environ} and {@code status} reads three files, the environment the JVM's whole. A live
   * thread's id is no other live process's pid (the kernel hands both out from one space). {@code
   * false} for this JVM's own pid.
   */
  static boolean isOwnThread(long pid) {
    return pid != SELF && new File("/proc/self/task/" + pid).exists();
  }

  /**
   * The pid the kernel allocated last in this pid namespace (the last field of {@code
   * /proc/loadavg}), or {@code -1} when unknown. Pids are handed out in increasing order until they
   * wrap at {@code pid_max}.
   */
  static long lastPid() {
    try {
      String loadavg = Files.readString(PROC.resolve("loadavg"), StandardCharsets.US_ASCII).trim();
      return parsePid(loadavg.substring(loadavg.lastIndexOf(' ') + 1));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The process's stat, or {@code null} when it is gone or unreadable. */
  static Stat stat(long pid) {
    File file = new File("/proc/" + pid + "/stat");
    // Most pids asked for are gone: a failed stat costs a fraction of a failed open's exception.
    if (!file.exists()) {
      return null;
    }
    String stat;
    try {
      stat = Files.readString(file.toPath());
    } catch (IOException e) {
      return null;
    }
    // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice threads itrealvalue starttime ...": comm may hold spaces and
    // parentheses, so the fields are counted from its closing parenthesis.
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 >= stat.length()) {
      return null;
    }
    String[] fields = stat.substring(close + 2).split(" ", 21);
    if (fields.length < 21) {
      return null;
    }
    try {
      return new Stat(
          pid,
          fields[0].charAt(0),
          Long.parseLong(fields[1]),
          Long.parseLong(fields[2]),
          Long.parseLong(fields[19]),
          stat.substring(open + 1, close));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Whether the process's environment holds a variable named {@code name}. {@code false} when it is
   * gone or its environment may not be read (another user's process, or one that made itself
   * non-dumpable, as {@code ssh-agent} does, unless this process may trace it).
   */
  static boolean hasVariable(long pid, String name) {
    byte[] environ = read(pid, "environ");
    if (environ == null) {
      return false;
    }
    byte[] key = (name + "=").getBytes(StandardCharsets.UTF_8);
    // NAME=VALUE entries, each ended by a NUL byte.
    for (int start = 0; start < environ.length; ) {
      if (startsWith(environ, start, key)) {
        return true;
      }
      while (start < environ.length && environ[start] != 0) {
        start++;
      }
      start++;
    }
    return false;
  }

  /** The bytes of {@code /proc/PID/FILE}, or {@code null} when it is gone or may not be read. */
  private static byte[] read(long pid, String file) {
    try {
      return Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve(file));
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    if (bytes.length - offset < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The pipes the process's stdout and stderr are, as {@code /proc} names them ({@code
   * pipe:[INODE]}); empty when it is gone or they are not pipes.
   */
  static List<String> outputPipes(long pid) {
    List<String> pipes = new ArrayList<>(2);
    for (int fd = 1; fd <= 2; fd++) {
      try {
        String target = Files.readSymbolicLink(PROC.resolve(pid + "/fd/" + fd)).toString();
        if (target.startsWith("pipe:[") && !pipes.contains(target)) {
          pipes.add(target);
        }
      } catch (IOException | UnsupportedOperationException e) {
        // Gone, not ours to read, or not a link: nothing to tell.
      }
    }
    return pipes;
  }

  /**
   * Whether the process holds the writing end of one of {@code pipes} open (any of its file
   * descriptors). Both ends of a pipe have the same name; the reading end is this JVM's, and a
   * process the JVM is forking holds a copy of it for a moment, so only a descriptor opened for
   * writing counts ({@code flags} in {@code fdinfo}). {@code false} when it is gone or its
   * descriptors may not be read (another user's process).
   */
  static boolean writesToAny(long pid, Collection<String> pipes) {
    File[] fds = new File("/proc/" + pid + "/fd").listFiles();
    if (fds == null) {
      return false;
    }
    for (File fd : fds) {
      try {
        if (pipes.contains(Files.readSymbolicLink(fd.toPath()).toString())
            && openForWriting(pid, fd.getName())) {
          return true;
        }
      } catch (IOException | UnsupportedOperationException e) {
        // Closed meanwhile.
      }
    }
    return false;
  }

  /** Whether descriptor {@code fd} of {@code pid} was opened write-only or read-write. */
  private static boolean openForWriting(long pid, String fd) throws IOException {
    for (String line :
        Files.readAllLines(PROC.resolve(pid + "/fdinfo/" + fd), StandardCharsets.US_ASCII)) {
      if (line.startsWith("flags:")) {
        try {
          int access = Integer.parseInt(line.substring(6).trim(), 8) & 3;
          return access == 1 || access == 2;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }

  /**
   * The process's command line, its arguments joined by spaces and cut at {@link
   * #MAX_COMMAND_CHARS}; {@code fallback} when it is gone or has none (a kernel thread, a zombie).
   */
  static String commandLine(long pid, String fallback) {
    byte[] cmdline = read(pid, "cmdline");
    if (cmdline == null) {
      return fallback;
    }
    int end = cmdline.length;
    while (end > 0 && cmdline[end - 1] == 0) {
      end--;
    }
    if (end == 0) {
      return fallback;
    }
    String text =
        new String(cmdline, 0, end, StandardCharsets.UTF_8)
            .replace('\0', ' ')
            .replace('\n', ' ')
            .replace('\r', ' ');
    return text.length() <= MAX_COMMAND_CHARS
        ? text
        : text.substring(0, MAX_COMMAND_CHARS - 1) + "…";
  }
}
