package dev.orchestra.agent.command;

import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Tail;
import dev.orchestra.trust.BoundedRead;
import dev.orchestra.trust.ReadLimits;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a command agent's plain output: every line is live output; stdout (its last {@link
 * #STDOUT_BYTES}) is the final output unless the command wrote {@code ORCHESTRA_OUTPUT_FILE}, which
 * must then be a regular file (not a link) of at most {@link ReadLimits#OUTPUT_FILE_BYTES}.
 * Thread-safe: the tails synchronise.
 */
final class CommandOutputReader implements AgentOutputReader {

  /** How much of stdout is kept as the fallback output. */
  static final int STDOUT_BYTES = 1 << 20;

  /** The most time reading the output file may take once the command has ended. */
  private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);

  private final Path outputFile;
  private final Tail stdout = new Tail(STDOUT_BYTES);
  private final Tail stderr = Tail.forFeedback();

  CommandOutputReader(Path outputFile) {
    this.outputFile = outputFile;
  }

  @Override
  public void onLine(OutputStream stream, String line, AgentSink sink) {
    (stream == OutputStream.STDOUT ? stdout : stderr).appendLine(line);
    sink.output(stream.wireName(), line);
  }

  @Override
  public AgentResult finish(ExitStatus exit) {
    String output;
    try {
      // The command may have put anything there: a link to a secret, a FIFO, /dev/zero.
      output =
          BoundedRead.text(
              outputFile,
              "the output file ORCHESTRA_OUTPUT_FILE",
              ReadLimits.OUTPUT_FILE_BYTES,
              READ_TIMEOUT,
              false);
    } catch (NoSuchFileException e) {
      output = stdout.toString();
    } catch (IOException e) {
      return AgentResult.failed(e.getMessage(), stdout.toString(), Usage.ZERO);
    }
    output = trimOneNewline(output);
    if (exit.succeeded()) {
      return AgentResult.completed(output, Usage.ZERO, null);
    }
    String why =
        exit.killed()
            ? "command was killed (exit code " + exit.code() + ")"
            : "command exited with code " + exit.code();
    String err = stderr.toString();
    return AgentResult.failed(
        err.isBlank() ? why : why + "\n" + err.stripTrailing(), output, Usage.ZERO);
  }

  private static String trimOneNewline(String s) {
    if (s.endsWith("\r\n")) {
      return s.substring(0, s.length() - 2);
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
