package dev.orchestra.exec;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a process ended.
 *
 * @param code the exit code (128 + signal number when killed by a signal)
 * @param killed whether the process was ended by {@link Execution#kill()}
 * @param detail extra explanation from the executor (e.g. {@code OOMKilled}), or {@code null}
 * @param ended the processes it had started that were still running when it exited or was killed,
 *     and which the executor then ended (SIGTERM, then SIGKILL), in the order they were found;
 *     empty when it left nothing behind or the executor removes its leftovers with it (a container)
 */
public record ExitStatus(int code, boolean killed, String detail, List<EndedProcess> ended) {

  /** The most processes {@link #endedSummary()} names; it counts the rest. */
  static final int MAX_NAMED = 10;

  public ExitStatus {
    ended = ended == null ? List.of() : List.copyOf(ended);
  }

  /** A status with nothing left behind to report. */
  public ExitStatus(int code, boolean killed, String detail) {
    this(code, killed, detail, List.of());
  }

  public static ExitStatus exited(int code) {
    return new ExitStatus(code, false, null);
  }

  public boolean succeeded() {
    return code == 0 && !killed;
  }

  /** This status with {@code ended} as the processes ended with it. */
  public ExitStatus withEnded(List<EndedProcess> processes) {
    return new ExitStatus(code, killed, detail, processes);
  }

  /**
   * One line for a user about {@link #ended()}, e.g. {@code ended 2 processes the attempt left
   * running: 4242 sleep 777, 4250 sleep 778}, or {@code … the attempt had started, along with it:
   * …} when it was killed; empty when there were none. Names at most {@value #MAX_NAMED}.
   *
   * @param subject what started them, e.g. {@code the attempt}
   */
  public Optional<String> endedSummary(String subject) {
    if (ended.isEmpty()) {
      return Optional.empty();
    }
    String count = ended.size() == 1 ? "1 process " : ended.size() + " processes ";
    String named =
        ended.stream()
            .limit(MAX_NAMED)
            .map(p -> p.pid() + " " + p.command())
            .collect(Collectors.joining(", "));
    if (ended.size() > MAX_NAMED) {
      named += " and " + (ended.size() - MAX_NAMED) + " more";
    }
    return Optional.of(
        "ended "
            + count
            + subject
            + (killed ? " had started, along with it: " : " left running: ")
            + named);
  }
}
