package dev.orchestra.server.events;

import dev.orchestra.event.RecordedEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an event's latency accrues on its way to the SSE clients, for {@code
 * bench/server-bench.sh}: for each event, the wall-clock instants at which it was stamped (its
 * {@code time}, just before the store appends it), recorded (the store's commit returned), fanned
 * out (in the {@link EventHub}, readable by every stream) and written to each client's socket.
 *
 * <p>Off unless the system property {@value #PROPERTY} names a file: then every event's instants
 * are kept in memory (a few hundred bytes per event, plus 8 per delivery, so for measurements, not
 * for a server that runs for days) and written to that file when the JVM exits, one event a line:
 * {@code RUN SEQ TYPE TIME RECORDED FANNED_OUT WRITE,WRITE,...}, tab-separated, in microseconds
 * since the epoch. Off, each call is one field read. Thread-safe.
 */
public final class EventTimings {
  private static final Logger LOG = LoggerFactory.getLogger(EventTimings.class);

  /** The system property naming the file; unset, nothing is measured. */
  public static final String PROPERTY = "orchestra.eventTimings";

  /** Measures nothing. */
  public static final EventTimings OFF = new EventTimings(null);

  private record Key(String run, long seq) {}

  /** One event's instants; the writes grow as streams write it. */
  private static final class Trace {
    final String type;
    final long time;
    volatile long recorded;
    volatile long fannedOut;
    private long[] writes = new long[8];
    private int count;

    Trace(RecordedEvent e) {
      this.type = e.event().type();
      this.time = micros(e.time());
    }

    synchronized void written(long at) {
      if (count == writes.length) {
        writes = Arrays.copyOf(writes, count * 2);
      }
      writes[count++] = at;
    }

    synchronized String line(Key k) {
      StringBuilder s = new StringBuilder();
      s.append(k.run()).append('\t').append(k.seq()).append('\t').append(type);
      s.append('\t').append(time).append('\t').append(recorded).append('\t').append(fannedOut);
      s.append('\t');
      for (int i = 0; i < count; i++) {
        s.append(i == 0 ? "" : ",").append(writes[i]);
      }
      return s.toString();
    }
  }

  private final Path file;
  private final Map<Key, Trace> traces = new ConcurrentHashMap<>();

  private EventTimings(Path file) {
    this.file = file;
  }

  /** On when {@value #PROPERTY} is set: written to its file when the JVM exits. */
  public static EventTimings fromSystemProperty() {
    String name = System.getProperty(PROPERTY);
    if (name == null || name.isBlank()) {
      return OFF;
    }
    EventTimings timings = writingTo(Path.of(name));
    Runtime.getRuntime().addShutdownHook(new Thread(timings::save, "orchestra-event-timings"));
    LOG.info("event timings on: written to {} when the server exits", name);
    return timings;
  }

  /** On, written to {@code file} by {@link #save}. */
  static EventTimings writingTo(Path file) {
    return new EventTimings(file);
  }

  boolean on() {
    return file != null;
  }

  void recorded(RecordedEvent e) {
    if (on()) {
      trace(e).recorded = now();
    }
  }

  void fannedOut(RecordedEvent e) {
    if (on()) {
      trace(e).fannedOut = now();
    }
  }

  void written(RecordedEvent e, long at) {
    if (on()) {
      trace(e).written(at);
    }
  }

  /** The wall clock in microseconds since the epoch. */
  static long now() {
    return micros(Instant.now());
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }

  private Trace trace(RecordedEvent e) {
    return traces.computeIfAbsent(new Key(e.run(), e.seq()), k -> new Trace(e));
  }

  /** Writes what was measured to the file (once the streams are done). */
  void save() {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<Key, Trace> t : traces.entrySet()) {
        out.write(t.getValue().line(t.getKey()));
        out.write('\n');
      }
    } catch (IOException e) {
      LOG.warn("cannot write the event timings to {}: {}", file, e.toString());
    }
  }
}
