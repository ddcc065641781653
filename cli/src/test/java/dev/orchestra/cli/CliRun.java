package dev.orchestra.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code orchestra} command line with captured stdout and stderr.
 *
 * @param exitCode what the command returned
 * @param out everything printed on stdout
 * @param err everything printed on stderr
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return of(picocli.CommandLine.defaultFactory(), args);
  }

  /** A run whose commands {@code factory} makes (to give one an environment of the test's). */
  static CliRun of(picocli.CommandLine.IFactory factory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = Orchestra.commandLine(factory, args);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
