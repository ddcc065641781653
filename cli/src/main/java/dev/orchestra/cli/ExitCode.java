package dev.orchestra.cli;

/**
 * The exit codes of every {@code orchestra} command (docs/cli.md, "Exit codes"). Scripts and CI
 * jobs depend on them, so a command never invents its own.
 */
public final class ExitCode {
  /** The command did what was asked: the files are valid, the run succeeded. */
  public static final int OK = 0;

  /**
   * The command ran but its subject failed (a run with a failed node), or Orchestra itself broke.
   */
  public static final int FAILED = 1;

  /** Bad input: an invalid workflow, a missing file, or a command line picocli cannot parse. */
  public static final int INVALID = 2;

  /** Interrupted by Ctrl-C or SIGTERM (128 + SIGINT), as shells report it. */
  public static final int INTERRUPTED = 130;

  private ExitCode() {}
}
