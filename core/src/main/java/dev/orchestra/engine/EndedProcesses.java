package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.secret.SecretMasker;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Tells the user which processes an agent's process left running and its executor ended ({@link
 * ExitStatus#ended()}): one stderr line, e.g. {@code orchestra: ended 2 processes the attempt left
 * running: 4242 sleep 777, 4250 sleep 778}, in the record and as a {@code node_output} event. The
 * line names command lines, so it is masked like all output.
 */
final class EndedProcesses {
  private EndedProcesses() {}

  /**
   * Reports {@code exit}'s ended processes, if it has any.
   *
   * @param subject what started them ({@code the attempt}, {@code the critic})
   * @param record where the process's stderr lines are recorded
   * @param emit emits the event
   */
  static void report(
      ExitStatus exit,
      String subject,
      String node,
      SecretMasker masker,
      BiConsumer<OutputStream, String> record,
      Consumer<Event> emit) {
    exit.endedSummary(subject)
        .map(summary -> masker.mask("orchestra: " + summary))
        .ifPresent(
            line -> {
              record.accept(OutputStream.STDERR, line);
              emit.accept(new Event.NodeOutput(node, OutputStream.STDERR.wireName(), line));
            });
  }
}
