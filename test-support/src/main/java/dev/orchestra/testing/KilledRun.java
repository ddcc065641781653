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

/**
 * A run that crashes: the {@code main} of a class that runs a workflow and prints each event as a
 * JSON line ({@link EventJson}) runs in a child JVM on this JVM's class path, and is killed with
 * {@code kill -9} as soon as a node prints a given line. No cancel, no {@code run_finished}, no
 * result: what the run recorded until then is all a resume has.
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
        if (e.event() instanceof Event.NodeOutput o && o.text().equals(ready)) {
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
          main.getSimpleName()
              + " ended before a node printed '"
              + ready
              + "' (run "
              + runId
              + ")");
    }
    return runId;
  }
}
