package dev.orchestra.exec;

/**
 * How a process ended.
 *
 * @param code the exit code (128 + signal number when killed by a signal)
 * @param killed whether the process was ended by {@link Execution#kill()}
 * @param detail extra explanation from the executor (e.g. {@code OOMKilled}), or {@code null}
 */
public record ExitStatus(int code, boolean killed, String detail) {
  public static ExitStatus exited(int code) {
    return new ExitStatus(code, false, null);
  }

  public boolean succeeded() {
    return code == 0 && !killed;
  }
}
