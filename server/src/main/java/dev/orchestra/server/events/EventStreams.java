package dev.orchestra.server.events;

import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunStore;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes event streams to SSE clients ({@code GET /runs/{id}/events}, {@code GET /events}): each
 * event as {@code id: SEQ}, {@code event: TYPE}, {@code data: EVENT_JSON}, and a {@code :
 * heartbeat} comment when nothing was sent for the heartbeat interval.
 *
 * <p>A run's stream starts with the run's recorded events after the client's position ({@code
 * Last-Event-ID} or {@code ?after=}), read from the store, then follows the hub; whenever the hub
 * no longer holds what comes next (the client fell behind, or the run runs in another process) it
 * reads the store again. Every event is sent once and in order, whatever the timing of the
 * reconnect: the position only moves forward, one {@code seq} at a time. For a run that is not
 * running in this server the store is read every {@code poll} interval, so a run another server or
 * the CLI records is followed too.
 *
 * <p><b>The server-wide stream has a few writers for all its clients</b> ({@link GlobalWriter}, one
 * per core, at most {@value #MAX_WRITERS}, each with its share of the clients): one thread, woken
 * by the hub's appends, writes each of its clients whose socket can take bytes the frames after its
 * position with the servlet container's non-blocking output, and skips a client whose socket is
 * full until the container says it can take more, so a slow or stuck client holds no other. Nothing
 * waits on purpose: what queued while the writer was busy goes out together, with one flush per
 * client. A client whose position falls out of the hub's buffer (it read nothing for {@link
 * EventHub#GLOBAL_BUFFER} events) gets {@code event: resync} when it reads again. More than one
 * writer because a lone thread, taken off its core mid-round on a busy machine, holds every
 * client's events meanwhile (docs/benchmarks.md, "The server under load"). {@link #global} returns
 * at once: the request stays open ({@link SseClient#keepAlive()}) until the client goes away or the
 * hub closes.
 *
 * <p>A run's stream blocks its (Javalin async) thread until the client goes away or the hub is
 * closed, and writes what the hub holds for it each time it wakes, with one flush: events that
 * queued while it wrote go out together. A gone client is noticed at the next write, at the latest
 * at the next heartbeat. A stream counts as open until its request is complete (the servlet
 * container's {@code onComplete}, after Javalin ran what follows the handler on that thread):
 * {@link #awaitClosed} is how a server stopping waits for them before its HTTP server recycles
 * their requests under them.
 */
public final class EventStreams {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

  private final EventHub hub;
  private final RunStore store;
  private final Duration heartbeat;
  private final Duration poll;

  /** The most threads that write the server-wide stream. */
  static final int MAX_WRITERS = 4;

  private final GlobalWriter[] global;
  private final Object lock = new Object();
  private int open;

  /** The writers of the server-wide stream: one per core, at most {@value #MAX_WRITERS}. */
  public EventStreams(EventHub hub, RunStore store, Duration heartbeat, Duration poll) {
    this(
        hub,
        store,
        heartbeat,
        poll,
        Math.min(Runtime.getRuntime().availableProcessors(), MAX_WRITERS));
  }

  /** Streams whose server-wide clients {@code writers} threads share. */
  EventStreams(EventHub hub, RunStore store, Duration heartbeat, Duration poll, int writers) {
    if (writers < 1) {
      throw new IllegalArgumentException("the server-wide stream needs a writer, was " + writers);
    }
    this.hub = hub;
    this.store = store;
    this.heartbeat = heartbeat;
    this.poll = poll;
    this.global = new GlobalWriter[writers];
    for (int i = 0; i < writers; i++) {
      global[i] = new GlobalWriter(hub, heartbeat, "orchestra-sse-global-" + (i + 1));
    }
  }

  /**
   * Streams run {@code runId}'s events after {@code after} until the client leaves; only those of
   * node {@code node} when it is not {@code null} (their ids are still the run's {@code seq}).
   */
  public void run(SseClient client, String runId, long after, String node) {
    opened(client);
    Channel<EventHub.Streamed> channel = hub.acquire(runId);
    long cursor = after;
    try {
      // Subscribed first, then read the store: whatever the hub gets from now on is either in
      // this reading or after it.
      cursor = sendRecorded(client, runId, cursor, node);
      long lastWrite = System.nanoTime();
      long lastRead = lastWrite;
      while (!client.terminated() && !hub.closed()) {
        Duration wait = hub.isLocal(runId) ? min(heartbeat, Duration.ofSeconds(1)) : poll;
        Channel.Batch<EventHub.Streamed> batch = channel.after(cursor, wait);
        long now = System.nanoTime();
        if (batch.gap()
            || (batch.entries().isEmpty()
                && !hub.isLocal(runId)
                && now - lastRead >= poll.toNanos())) {
          long before = cursor;
          cursor = sendRecorded(client, runId, cursor, node);
          lastRead = now;
          if (cursor != before) {
            lastWrite = now;
          }
          // What the hub holds beyond the reading (none when the run runs elsewhere).
          batch = channel.after(cursor, Duration.ZERO);
        }
        Frames frames = new Frames(hub.timings());
        for (Channel.Entry<EventHub.Streamed> e : batch.entries()) {
          if (e.key() == cursor + 1) {
            cursor = e.key();
            if (matches(e.item().event(), node)) {
              frames.add(e.item());
            }
          }
        }
        if (!frames.isEmpty() && frames.send(client)) {
          lastWrite = now;
        }
        if (now - lastWrite >= heartbeat.toNanos() && !client.terminated()) {
          client.sendComment("heartbeat");
          lastWrite = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      ended("the event stream of run " + runId, client, e);
    } finally {
      hub.release(runId);
      client.close();
    }
  }

  /**
   * Streams the server-wide events after {@code lastId} ({@code null}: from now on). An id this
   * server no longer holds (from before a restart, or too far behind) gets an {@code event: resync}
   * first: the client reloads what it shows, and the stream goes on from now.
   */
  public void global(SseClient client, Long lastId) {
    opened(client);
    long cursor = lastId == null ? globalPosition() : lastId;
    boolean resync = lastId != null && lastId < hub.firstGlobalId() - 1;
    // The request stays open when this returns: the writer's thread serves it from now on.
    client.keepAlive();
    GlobalWriter least = global[0];
    for (GlobalWriter w : global) {
      if (w.size() < least.size()) {
        least = w;
      }
    }
    least.add(client, cursor, resync);
  }

  /**
   * The id of the server-wide stream's last event, the position of a client that starts now: pass
   * it to {@link #global} as the client's last id when its response begins later (the client is
   * told that the stream is open before the stream's thread runs, and must get every event from
   * then on).
   */
  public long globalPosition() {
    return hub.globalPosition();
  }

  /** Counts the stream as open until its request completes. */
  private void opened(SseClient client) {
    synchronized (lock) {
      open++;
    }
    try {
      client.ctx().req().getAsyncContext().addListener(new Completion());
    } catch (RuntimeException e) {
      closedOne(); // not asynchronous after all: nothing to wait for
    }
  }

  private void closedOne() {
    synchronized (lock) {
      open--;
      lock.notifyAll();
    }
  }

  /** Hears that a stream's request completed (whether the client went away or the stream ended). */
  private final class Completion implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      closedOne();
    }

    @Override
    public void onTimeout(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /**
   * Waits until every stream's request is complete, at most {@code timeout}; call it after {@link
   * EventHub#close()}, which ends the streams.
   *
   * @return whether all are
   */
  public boolean awaitClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (open > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  /**
   * A stream that ended by an exception: a client that went away is routine (a DEBUG line, no stack
   * trace); anything else is a WARN with the reason.
   */
  private static void ended(String stream, SseClient client, RuntimeException e) {
    if (client.terminated()) {
      LOG.debug("{} ended: its client went away ({})", stream, e.toString());
    } else {
      LOG.warn("{} ended: {}", stream, e.toString());
    }
  }

  /** The data of an {@code event: resync}. */
  static final String RESYNC_DATA =
      "{\"type\":\"resync\",\"reason\":\"events after the last id you saw are no longer kept;"
          + " reload the run list\"}";

  private long sendRecorded(SseClient client, String runId, long cursor, String node) {
    List<RecordedEvent> recorded = store.events(runId, cursor);
    Frames frames = new Frames(hub.timings());
    for (RecordedEvent e : recorded) {
      if (e.seq() == cursor + 1) {
        cursor = e.seq();
        if (matches(e, node)) {
          frames.add(EventHub.Streamed.of(e, e.seq(), EventHub.Streamed.json(e)));
        }
        if (frames.size() >= 256) {
          if (!frames.send(client)) {
            return cursor;
          }
          frames = new Frames(hub.timings());
        }
      }
    }
    if (!frames.isEmpty()) {
      frames.send(client);
    }
    return cursor;
  }

  private static boolean matches(RecordedEvent e, String node) {
    return node == null || node.equals(e.event().node());
  }

  /**
   * Events written to a client together: their SSE frames, as the hub encoded them once for every
   * client, written one after the other into the response's buffer and flushed once, so that a
   * client that is behind by many events costs one system call, not one per event.
   */
  private static final class Frames {
    private final List<EventHub.Streamed> items = new ArrayList<>();
    private final EventTimings timings;

    Frames(EventTimings timings) {
      this.timings = timings;
    }

    void add(EventHub.Streamed item) {
      items.add(item);
    }

    int size() {
      return items.size();
    }

    boolean isEmpty() {
      return items.isEmpty();
    }

    /** Writes the frames; false (and the client closed) when it went away. */
    boolean send(SseClient client) {
      if (client.terminated()) {
        return false;
      }
      try {
        OutputStream out = client.ctx().res().getOutputStream();
        for (EventHub.Streamed item : items) {
          out.write(item.frame());
        }
        out.flush();
        if (timings.on()) {
          long at = EventTimings.now();
          items.forEach(item -> timings.written(item.event(), at));
        }
        return true;
      } catch (IOException | RuntimeException e) {
        LOG.debug("an event stream's client went away: {}", e.toString());
        client.close();
        return false;
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
