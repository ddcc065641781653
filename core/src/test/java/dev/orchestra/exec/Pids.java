package dev.orchestra.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Process facts read from /proc, for assertions about real processes. */
final class Pids {
  private Pids() {}

  /** Whether {@code pid} exists and has not exited (a zombie has exited). */
  static boolean running(long pid) {
    String state = field(pid, 0);
    return state != null && !state.equals("Z") && !state.equals("X");
  }

  /**
   * Whether every one of {@code pids} has exited within {@code limit}. A SIGKILL to a group is
   * delivered to each member on its own; on a loaded machine a member may still be on its way out
   * when the leader's exit is seen, so callers wait for the fact rather than sample it once.
   */
  static boolean allGone(List<Long> pids, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (anyRunning(pids)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** {@link #allGone(List, Duration)} for one process. */
  static boolean gone(long pid, Duration limit) throws InterruptedException {
    return allGone(List.of(pid), limit);
  }

  static boolean anyRunning(List<Long> pids) {
    return pids.stream().anyMatch(Pids::running);
  }

  /**
   * Shell code that waits until the process just started in the background ({@code $!}) runs {@code
   * command}, then prints its pid: by then it has done what it does before its exec ({@code
   * setsid}, {@code env -i}), and its command line is {@code command}.
   */
  static String printOnceItRuns(String command) {
    return "p=$!; until [ \"$(tr '\\0' ' ' </proc/$p/cmdline)\" = '"
        + command
        + " ' ]; do sleep 0.01; done; echo $p";
  }

  /** The process group of {@code pid}. */
  static long groupOf(long pid) {
    return Long.parseLong(field(pid, 2));
  }

  private static String field(long pid, int index) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index];
    } catch (IOException e) {
      return null;
    }
  }
}
