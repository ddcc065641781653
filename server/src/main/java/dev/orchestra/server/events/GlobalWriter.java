package dev.orchestra.server.events;

import io.javalin.http.sse.SseClient;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the server-wide stream to its clients (its share of them, see {@link EventStreams}) from
 * one thread, with the servlet container's non-blocking output: whenever the hub's global channel
 * gets events (or a client's socket can take more, or a heartbeat is due), the thread goes round
 * the clients and writes to each one whose output is ready the frames after its position, as the
 * hub encoded them, then flushes once. A client whose socket is full is skipped: its output is not
 * ready, the container says when it is ({@link WriteListener#onWritePossible}), and the others are
 * written meanwhile. Nothing waits on purpose: what queued while the thread was busy goes out
 * together, one flush per client.
 *
 * <p>A client's backlog is its position in the channel, which the hub keeps for every client (the
 * last {@link EventHub#GLOBAL_BUFFER} events), plus at most the container's response buffer of
 * bytes written but not sent: so a stuck client costs one buffer, whatever the rate of events. One
 * whose position falls out of the channel gets {@code event: resync} (with the id of the newest
 * event) when its socket takes bytes again, as a client that reconnects with an id no longer kept;
 * a client that never reads again is dropped by the container's idle timeout, its pending write
 * failing.
 *
 * <p>Costs: per round, O(1) for each client with nothing to write, and one write of the container's
 * buffer (a system call) per client with news, whatever the number of events queued for it: about 3
 * µs of CPU per client and event (docs/benchmarks.md). The thread starts with the first client.
 * {@link EventStreams} shares the clients among a few writers, one per core at most. Thread-safe:
 * clients come and go from any thread; only the writer's thread writes.
 */
final class GlobalWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalWriter.class);

  private static final byte[] HEARTBEAT = ": heartbeat\n".getBytes(StandardCharsets.UTF_8);

  /**
   * The most bytes written to one client per round, so that one fast reader cannot hold the rest.
   */
  static final int ROUND_BYTES = 64 * 1024;

  /** The longest the thread parks with nothing to do (it checks the hub's state when it wakes). */
  private static final Duration MAX_PARK = Duration.ofSeconds(1);

  private final String name;
  private final EventHub hub;
  private final Channel<EventHub.Streamed> channel;
  private final Duration heartbeat;
  private final Queue<Client> arriving = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private final AtomicInteger served = new AtomicInteger();

  /** The clients served; the writer's thread's own. */
  private final List<Client> clients = new ArrayList<>();

  /** The events written in the current client's round, for their timings; the thread's own. */
  private final List<EventHub.Streamed> written = new ArrayList<>();

  private volatile Thread thread;
  private boolean stopped;

  /** A writer whose thread is called {@code name}. */
  GlobalWriter(EventHub hub, Duration heartbeat, String name) {
    this.name = name;
    this.hub = hub;
    this.channel = hub.global();
    this.heartbeat = heartbeat;
    channel.watch(this::wake);
  }

  /** A client of the server-wide stream and where it is. */
  private final class Client implements WriteListener {
    final SseClient sse;

    /** The id of the last event written to it. */
    long cursor;

    /** Whether it is owed an {@code event: resync} before anything else. */
    boolean resync;

    long lastWrite = System.nanoTime();

    /**
     * Whether its output was not ready when last asked: the container calls {@link
     * #onWritePossible} when it is, so its heartbeat does not wake the thread meanwhile.
     */
    boolean waiting;

    /**
     * Whether bytes written to its output may still sit in the container's buffer: a write that
     * filled the buffer while the socket was full sends the buffer once the socket takes it and
     * keeps the rest of its own bytes there, to go with the next write or flush.
     */
    boolean unflushed;

    ServletOutputStream out;
    volatile Throwable failure;

    Client(SseClient sse, long cursor, boolean resync) {
      this.sse = sse;
      this.cursor = cursor;
      this.resync = resync;
    }

    @Override
    public void onWritePossible() {
      wake();
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
      wake();
    }
  }

  /**
   * Serves {@code sse} from now on, from the event after id {@code cursor}; an {@code event:
   * resync} first when {@code resync}. The client's request must be asynchronous and kept open
   * ({@link SseClient#keepAlive()}); it is closed when the client goes away or the hub closes.
   */
  void add(SseClient sse, long cursor, boolean resync) {
    synchronized (this) {
      if (stopped || hub.closed()) {
        sse.close();
        return;
      }
      served.incrementAndGet();
      arriving.add(new Client(sse, cursor, resync));
      if (thread == null) {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
      }
    }
    wake();
  }

  /** How many clients it serves, or is about to. */
  int size() {
    return served.get();
  }

  /** Has the thread go round the clients (again) soon; never blocks. */
  private void wake() {
    if (!signalled.getAndSet(true)) {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  private void run() {
    try {
      while (!hub.closed()) {
        // Cleared before the round: a wake during it makes the park below return at once.
        signalled.set(false);
        for (Client c; (c = arriving.poll()) != null; ) {
          start(c);
        }
        long now = System.nanoTime();
        long park = MAX_PARK.toNanos();
        for (Iterator<Client> it = clients.iterator(); it.hasNext(); ) {
          Client c = it.next();
          if (c.failure != null || c.sse.terminated() || !serve(c, now)) {
            it.remove();
            drop(c);
            continue;
          }
          if (!c.waiting) {
            park = Math.min(park, c.lastWrite + heartbeat.toNanos() - now);
          }
        }
        if (!signalled.get()) {
          LockSupport.parkNanos(this, Math.max(park, 1_000_000));
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.warn("the server-wide event stream's writer stopped: {}", e.toString());
      throw e;
    } finally {
      synchronized (this) {
        stopped = true;
      }
      clients.forEach(c -> c.sse.close());
      clients.clear();
      for (Client c; (c = arriving.poll()) != null; ) {
        c.sse.close();
      }
    }
  }

  private void start(Client c) {
    try {
      c.out = c.sse.ctx().res().getOutputStream();
      c.out.setWriteListener(c);
      clients.add(c);
    } catch (IOException | RuntimeException e) {
      LOG.debug(
          "a client of the server-wide event stream left before its first event: {}", e.toString());
      served.decrementAndGet();
      c.sse.close();
    }
  }

  private void drop(Client c) {
    served.decrementAndGet();
    Throwable t = c.failure;
    if (t != null) {
      LOG.debug("a client of the server-wide event stream went away: {}", t.toString());
    }
    c.sse.close();
  }

  /**
   * Writes to {@code c} what it can take of what it has not had, and flushes it.
   *
   * @return false when the client went away
   */
  private boolean serve(Client c, long now) {
    ServletOutputStream out = c.out;
    try {
      if (!out.isReady()) {
        c.waiting = true; // its last write is still under way; onWritePossible calls again
        return true;
      }
      written.clear();
      int bytes = 0;
      long last = channel.lastKey();
      boolean more = false;
      while (true) {
        byte[] frame;
        if (c.resync) {
          c.resync = false;
          frame = resync(c);
        } else if (c.cursor < last) {
          Channel.Entry<EventHub.Streamed> e = channel.entry(c.cursor + 1);
          if (e == null) {
            // Not kept any more (ids are consecutive, so it was dropped): the client reloads.
            frame = resync(c);
          } else {
            frame = e.item().frame();
            c.cursor = e.key();
            written.add(e.item());
          }
        } else if (bytes == 0 && now - c.lastWrite >= heartbeat.toNanos()) {
          frame = HEARTBEAT;
        } else {
          break;
        }
        out.write(frame);
        bytes += frame.length;
        if (bytes >= ROUND_BYTES) {
          more = c.cursor < last;
          break;
        }
        if (!out.isReady()) {
          break; // the buffer filled and is being written: onWritePossible calls again
        }
      }
      if (bytes > 0 || c.unflushed) {
        // Flushed now, or (a write still under way) when onWritePossible brings it back here: a
        // client is never left waiting for the next event or heartbeat to push out what it is owed.
        c.unflushed = !out.isReady();
        if (!c.unflushed) {
          out.flush();
        }
      }
      if (bytes > 0) {
        c.lastWrite = now;
        noteWritten();
      }
      // Not ready: a write is under way, and onWritePossible calls when it is done.
      c.waiting = !out.isReady();
      if (more) {
        signalled.set(true); // another round for the rest, after the other clients
      }
      return true;
    } catch (IOException | RuntimeException e) {
      if (c.failure == null) {
        c.failure = e;
      }
      return false;
    }
  }

  private byte[] resync(Client c) {
    long now = hub.globalPosition();
    c.cursor = now;
    return ("id: " + now + "\nevent: resync\ndata: " + EventStreams.RESYNC_DATA + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void noteWritten() {
    EventTimings timings = hub.timings();
    if (timings.on() && !written.isEmpty()) {
      long at = EventTimings.now();
      written.forEach(item -> timings.written(item.event(), at));
    }
  }
}
