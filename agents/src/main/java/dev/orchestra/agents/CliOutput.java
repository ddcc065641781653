package dev.orchestra.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.agent.AgentSink;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.Tail;
import java.util.Optional;

/**
 * Splits what an agent CLI prints into the events of its JSON-lines stream on stdout, which its
 * reader interprets, and plain output (everything on stderr, and stdout lines that are not a JSON
 * object), which goes to the node's output as it is. The last {@link Tail#forFeedback() 4 KiB} of
 * each stream's plain output is kept for the message of a CLI that fails without saying why in its
 * stream. Not thread-safe: the reader that owns it serialises its calls.
 */
public final class CliOutput {
  private final Tail stdout = Tail.forFeedback();
  private final Tail stderr = Tail.forFeedback();

  /**
   * The event on {@code line}, or empty when the line is plain output, which this has passed on to
   * {@code sink} under the stream's name and kept in that stream's tail.
   */
  public Optional<ObjectNode> event(OutputStream stream, String line, AgentSink sink) {
    Optional<ObjectNode> event =
        stream == OutputStream.STDOUT ? JsonStream.event(line) : Optional.empty();
    if (event.isEmpty()) {
      (stream == OutputStream.STDOUT ? stdout : stderr).appendLine(line);
      sink.output(stream.wireName(), line);
    }
    return event;
  }

  /** The end of the plain output on stderr, stripped. */
  public String stderr() {
    return stderr.toString().strip();
  }

  /** The end of the plain output on stdout (the lines that were not events), stripped. */
  public String stdout() {
    return stdout.toString().strip();
  }
}
