package dev.orchestra.server.events;

import dev.orchestra.engine.EventListener;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fans the events of the runs this server runs out to the SSE clients: the engine calls {@link
 * #recorded} (after the store recorded each event, in {@code seq} order per run), which keeps the
 * latest events of each run and of the server-wide stream in memory for the clients to read at
 * their own pace. Nothing here blocks the engine: a slow client only falls behind, and one that
 * falls out of the buffer reads the run store.
 *
 * <p>The server-wide stream numbers its events with one sequence that starts at the server's start
 * time in milliseconds times 1,000, so its ids grow across restarts and an id from before a restart
 * is recognisably older than everything kept. Thread-safe.
 */
public final class EventHub implements EventListener, AutoCloseable {
  /** The events of one run kept in memory. */
  static final int RUN_BUFFER = 4096;

  /** The events of the server-wide stream kept in memory. */
  static final int GLOBAL_BUFFER = 10_000;

  /** The event types of the server-wide stream: run starts and ends and node status changes. */
  public static final Set<String> GLOBAL_TYPES =
      Set.of(
          "run_started",
          "run_finished",
          "node_started",
          "node_checking",
          "node_retrying",
          "node_rate_limited",
          "node_waiting_approval",
          "node_approved",
          "node_rejected",
          "node_finished");

  /**
   * An event as streamed: the event and its whole SSE frame ({@code id:}, {@code event:}, {@code
   * data:} with the JSON on one line, a blank line), encoded once for every client, which writes
   * these bytes as they are.
   */
  record Streamed(RecordedEvent event, byte[] frame) {
    /** {@code event}'s frame with id {@code id}, from its JSON as UTF-8 ({@link #json}). */
    static Streamed of(RecordedEvent event, long id, byte[] json) {
      byte[] head =
          ("id: " + id + "\nevent: " + event.event().type() + "\ndata: ")
              .getBytes(StandardCharsets.UTF_8);
      byte[] frame = Arrays.copyOf(head, head.length + json.length + 2);
      System.arraycopy(json, 0, frame, head.length, json.length);
      frame[frame.length - 2] = '\n';
      frame[frame.length - 1] = '\n';
      return new Streamed(event, frame);
    }

    /** {@code event}'s JSON on one line, as UTF-8. */
    static byte[] json(RecordedEvent event) {
      return EventJson.encode(event).strip().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** A run's channel and who uses it. */
  private static final class RunEntry {
    final Channel<Streamed> channel = new Channel<>(RUN_BUFFER);
    int readers;
    boolean local;
  }

  private final Map<String, RunEntry> runs = new ConcurrentHashMap<>();
  private final Channel<Streamed> global = new Channel<>(GLOBAL_BUFFER);
  private final AtomicLong globalSeq;
  private final long firstGlobalId;
  private final EventTimings timings;
  private volatile boolean closed;

  public EventHub(Clock clock) {
    this(clock, EventTimings.OFF);
  }

  /** A hub that notes where its events' latency accrues in {@code timings}. */
  public EventHub(Clock clock, EventTimings timings) {
    this.timings = timings;
    this.firstGlobalId = clock.millis() * 1000 + 1;
    this.globalSeq = new AtomicLong(firstGlobalId - 1);
  }

  /**
   * Takes the event in: called by the engine on the thread that emitted it, right after the store
   * recorded it, in {@code seq} order per run (the run's event log emits one at a time). The hub
   * takes its events here rather than in {@link #onEvent}, on the run's delivery thread, to save
   * the streams the wake-up of that thread: encoding the event and appending it to two rings is all
   * it does, and it never waits for a client.
   */
  @Override
  public void recorded(RecordedEvent event) {
    timings.recorded(event);
    byte[] json = Streamed.json(event);
    timings.fannedOut(event); // from here on the streams can take it
    runs.computeIfAbsent(event.run(), id -> new RunEntry())
        .channel
        .append(event.seq(), Streamed.of(event, event.seq(), json));
    if (GLOBAL_TYPES.contains(event.event().type())) {
      // One lock orders the ids with the appends, so readers see consecutive ids.
      synchronized (global) {
        long id = globalSeq.incrementAndGet();
        global.append(id, Streamed.of(event, id, json));
      }
    }
  }

  /** Nothing: the hub took the event in {@link #recorded}, before it was queued for delivery. */
  @Override
  public void onEvent(RecordedEvent event) {}

  EventTimings timings() {
    return timings;
  }

  /** The run is run by this server from now on: its events come through {@link #recorded}. */
  public void attach(String runId) {
    runs.compute(
        runId,
        (id, e) -> {
          RunEntry entry = e == null ? new RunEntry() : e;
          entry.local = true;
          return entry;
        });
  }

  /** The run no longer runs here; its buffer goes once no client reads it. */
  public void detach(String runId) {
    runs.computeIfPresent(
        runId,
        (id, e) -> {
          e.local = false;
          return e.readers == 0 ? null : e;
        });
  }

  /** Whether this server runs {@code runId} now. */
  public boolean isLocal(String runId) {
    RunEntry e = runs.get(runId);
    return e != null && e.local;
  }

  /** Starts reading a run's channel; {@link #release} when done. */
  Channel<Streamed> acquire(String runId) {
    return runs.compute(
            runId,
            (id, e) -> {
              RunEntry entry = e == null ? new RunEntry() : e;
              entry.readers++;
              return entry;
            })
        .channel;
  }

  void release(String runId) {
    runs.computeIfPresent(
        runId,
        (id, e) -> {
          e.readers--;
          return e.readers <= 0 && !e.local ? null : e;
        });
  }

  Channel<Streamed> global() {
    return global;
  }

  /** The id the server-wide stream's first event gets. */
  long firstGlobalId() {
    return firstGlobalId;
  }

  /**
   * The id of the server-wide stream's last event: the position of a client that starts now, and
   * the one a client that fell out of the buffer resyncs to.
   */
  long globalPosition() {
    // Before the first event the channel's last key is 0: just below the first id instead.
    return Math.max(global.lastKey(), firstGlobalId() - 1);
  }

  boolean closed() {
    return closed;
  }

  /** Ends every stream: readers waiting for events return and close their connections. */
  @Override
  public void close() {
    closed = true;
    global.close();
    runs.values().forEach(e -> e.channel.close());
  }
}
