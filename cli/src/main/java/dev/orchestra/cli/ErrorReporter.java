package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns whatever escapes a command into a short message on stderr and an {@link ExitCode}, so that
 * no stack trace reaches a user who made a mistake. {@code --debug} adds the trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

  /** Prints {@code orchestra: error: ...} and a pointer to the command's help. */
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("orchestra: error: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCode.INVALID;
  }

  /** Prints the error and its causes; the stack trace only with {@code --debug}. */
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      err.println("orchestra: interrupted");
      err.flush();
      return ExitCode.INTERRUPTED;
    }
    boolean debug = Orchestra.matched(parseResult, "--debug");
    if (ex instanceof OrchestraException.InvalidWorkflowException invalid) {
      // The problems are values; they are printed as every command prints them, and a trace
      // would not help the user.
      ProblemReport.print(invalid.problems(), err);
      if (debug) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ExitCode.INVALID;
    }
    err.println("orchestra: error: " + describe(ex));
    printCauses(ex, err);
    if (debug) {
      ex.printStackTrace(err);
    } else {
      err.println("(run again with --debug to see the stack trace)");
    }
    err.flush();
    return ExitCode.FAILED;
  }

  private static void printCauses(Throwable ex, PrintWriter err) {
    // A cause cycle is possible in theory; stop at the first repeat.
    Set<Throwable> seen = new HashSet<>();
    seen.add(ex);
    for (Throwable c = ex.getCause(); c != null && seen.add(c); c = c.getCause()) {
      err.println("  caused by: " + describe(c));
    }
  }

  /** The message, or the exception's type for the few that carry none (NullPointerException). */
  static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    return t instanceof OrchestraException
        ? message
        : message + " (" + t.getClass().getSimpleName() + ")";
  }
}
