package dev.orchestra.server.events;

import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunStore;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
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
 * <p>Each call blocks its (Javalin async) thread until the client goes away or the hub is closed; a
 * gone client is noticed at the next write, at the latest at the next heartbeat.
 */
public final class EventStreams {
  private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

  private final EventHub hub;
  private final RunStore store;
  private final Duration heartbeat;
  private final Duration poll;

  public EventStreams(EventHub hub, RunStore store, Duration heartbeat, Duration poll) {
    this.hub = hub;
    this.store = store;
    this.heartbeat = heartbeat;
    this.poll = poll;
  }

  /**
   * Streams run {@code runId}'s events after {@code after} until the client leaves; only those of
   * node {@code node} when it is not {@code null} (their ids are still the run's {@code seq}).
   */
  public void run(SseClient client, String runId, long after, String node) {
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
        for (Channel.Entry<EventHub.Streamed> e : batch.entries()) {
          if (e.key() == cursor + 1) {
            cursor = e.key();
            if (matches(e.item().event(), node)) {
              send(client, e.item().event(), e.item().json(), Long.toString(e.key()));
              lastWrite = now;
            }
          }
        }
        if (now - lastWrite >= heartbeat.toNanos()) {
          client.sendComment("heartbeat");
          lastWrite = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("the event stream of run {} ended: {}", runId, e.toString());
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
    Channel<EventHub.Streamed> channel = hub.global();
    // Before the first event the channel's last key is 0: start just below the first id instead.
    long latest = Math.max(channel.lastKey(), hub.firstGlobalId() - 1);
    long cursor = lastId == null ? latest : lastId;
    if (lastId != null && lastId < hub.firstGlobalId() - 1) {
      cursor = resync(client, channel);
    }
    long lastWrite = System.nanoTime();
    try {
      while (!client.terminated() && !hub.closed()) {
        Channel.Batch<EventHub.Streamed> batch =
            channel.after(cursor, min(heartbeat, Duration.ofSeconds(1)));
        long now = System.nanoTime();
        if (batch.gap()) {
          cursor = resync(client, channel);
          lastWrite = now;
          continue;
        }
        for (Channel.Entry<EventHub.Streamed> e : batch.entries()) {
          send(client, e.item().event(), e.item().json(), Long.toString(e.key()));
          cursor = e.key();
          lastWrite = now;
        }
        if (now - lastWrite >= heartbeat.toNanos()) {
          client.sendComment("heartbeat");
          lastWrite = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }

  private long resync(SseClient client, Channel<EventHub.Streamed> channel) {
    long now = Math.max(channel.lastKey(), hub.firstGlobalId() - 1);
    client.sendEvent(
        "resync",
        "{\"type\":\"resync\",\"reason\":\"events after the last id you saw are no longer kept;"
            + " reload the run list\"}",
        Long.toString(now));
    return now;
  }

  private long sendRecorded(SseClient client, String runId, long cursor, String node) {
    List<RecordedEvent> recorded = store.events(runId, cursor);
    for (RecordedEvent e : recorded) {
      if (client.terminated()) {
        break;
      }
      if (e.seq() == cursor + 1) {
        cursor = e.seq();
        if (matches(e, node)) {
          send(client, e, EventJson.encode(e).strip(), Long.toString(e.seq()));
        }
      }
    }
    return cursor;
  }

  private static boolean matches(RecordedEvent e, String node) {
    return node == null || node.equals(e.event().node());
  }

  private static void send(SseClient client, RecordedEvent e, String json, String id) {
    client.sendEvent(e.event().type(), json, id);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
