package dev.orchestra.agent.command;

import dev.orchestra.agent.AgentOutputReader;
import dev.orchestra.agent.AgentResult;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Tail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a command agent's plain output: every line is live output; stdout (its last {@link
 * #STDOUT_BYTES}) is the final output unless the command wrote {@code ORCHESTRA_OUTPUT_FILE}.
 * Thread-safe: the tails synchronise.
 */
final class CommandOutputReader implements AgentOutputReader {

  /** How much of stdout is kept as the fallback output. */
  static final int STDOUT_BYTES = 1 << 20;

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
      output = Files.readString(outputFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      output = stdout.toString();
    } catch (IOException e) {
      return AgentResult.failed(
          "cannot read the output file '" + outputFile + "': " + e.getMessage(),
          stdout.toString(),
          Usage.ZERO);
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
