package dev.orchestra.testing;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A run that crashes: the {@code main} of a class that runs a workflow and prints each event as a
 * JSON line ({@link EventJson}) runs in a child JVM on this JVM's class path, and is killed with
 * {@code kill -9} as soon as a node prints a given line (or another awaited event is printed). No
 * cancel, no {@code run_finished}, no result: what the run recorded until then is all a resume has.
 */
public final class KilledRun {
  private KilledRun() {}

  /**
   * Runs {@code main} with {@code args} until a node's output line equals {@code ready}, then kills
   * it and waits for it to be gone.
   *
   * @return the run's id, from the events it printed
   * @throws AssertionError when the child ended before any node printed {@code ready}
   */
  public static String killWhen(String ready, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return killWhen(
        e -> e instanceof Event.NodeOutput o && o.text().equals(ready),
        "a node printed '" + ready + "'",
        main,
        args);
  }

  /**
   * Runs {@code main} with {@code args} until it prints an event {@code when} accepts, then kills
   * it and waits for it to be gone.
   *
   * @param what the awaited event, for the message when it never comes
   * @return the run's id, from the events it printed
   * @throws AssertionError when the child ended before printing such an event
   */
  public static String killWhen(Predicate<Event> when, String what, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String runId = null;
    boolean saw = false;
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        RecordedEvent e = EventJson.decode(line);
        runId = e.run();
        if (when.test(e.event())) {
          saw = true;
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor();
    }
    if (!saw) {
      throw new AssertionError(
          main.getSimpleName() + " ended before " + what + " (run " + runId + ")");
    }
    return runId;
  }
}
