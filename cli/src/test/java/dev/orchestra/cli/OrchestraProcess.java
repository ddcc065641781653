package dev.orchestra.cli;

import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code orchestra ARGS --json} in a child JVM on this JVM's class path, as a second terminal would
 * run it: its events are read from its stdout as they come, and a test waits for the ones it needs
 * instead of for time to pass. Its stderr goes to a file. Close it to kill it if it still runs.
 */
final class OrchestraProcess implements AutoCloseable {
  /** The longest a test waits for an event or the end; only a broken run reaches it. */
  private static final long LIMIT_SECONDS = 120;

  private final Process process;
  private final Path stderr;
  private final List<RecordedEvent> events = new ArrayList<>();
  private final Thread reader;
  private boolean ended;
  private IOException readFailure;

  private OrchestraProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::read, "orchestra-child-events");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code orchestra ARGS} in {@code dir}; {@code ARGS} must include {@code --json}. */
  static OrchestraProcess start(Path dir, String... args) throws IOException {
    return start(dir, Map.of(), args);
  }

  /** Like {@link #start(Path, String...)}, with {@code env} added to this JVM's environment. */
  static OrchestraProcess start(Path dir, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Orchestra.class.getName());
    command.addAll(List.of(args));
    Path stderr = Files.createTempFile(dir, "orchestra-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectError(stderr.toFile());
    builder.environment().putAll(env);
    Process p = builder.start();
    return new OrchestraProcess(p, stderr);
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        RecordedEvent e = EventJson.decode(line);
        synchronized (this) {
          events.add(e);
          notifyAll();
        }
      }
    } catch (IOException e) {
      // The process was killed (close()) while its output was read: its output ends here.
      synchronized (this) {
        readFailure = e;
      }
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Waits for the first event {@code p} accepts. */
  synchronized RecordedEvent await(Predicate<Event> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    for (int seen = 0; ; ) {
      for (; seen < events.size(); seen++) {
        if (p.test(events.get(seen).event())) {
          return events.get(seen);
        }
      }
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        throw new AssertionError(
            "no such event from orchestra"
                + (ended ? " before its output ended" : " in " + LIMIT_SECONDS + " s")
                + "; events: "
                + events.stream().map(r -> r.event().type()).toList()
                + (readFailure == null ? "" : "; reading its output failed: " + readFailure)
                + "; stderr: "
                + stderr());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits for the process to end and answers its exit code. */
  int exitCode() throws InterruptedException {
    if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError("orchestra did not end in " + LIMIT_SECONDS + " s: " + stderr());
    }
    reader.join(TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
    return process.exitValue();
  }

  /** Every event it printed so far, as printed. */
  synchronized List<RecordedEvent> recorded() {
    return List.copyOf(events);
  }

  /** Every event it printed so far. */
  synchronized List<Event> events() {
    return events.stream().map(RecordedEvent::event).toList();
  }

  /** Sends SIGTERM, as Ctrl-C in its terminal or a CI job's cancel would. */
  void terminate() {
    process.destroy();
  }

  String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
