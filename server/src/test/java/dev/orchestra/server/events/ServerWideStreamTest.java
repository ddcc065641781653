package dev.orchestra.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.file.FileRunStore;
import io.javalin.Javalin;
import io.javalin.http.sse.SseHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-wide stream's one writer and its clients over real sockets: one that stops reading (a
 * small receive buffer, full) holds no other, falls out of the hub's buffer, and is told to resync
 * when it reads again; the server stops with it connected.
 */
class ServerWideStreamTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  /** A node id long enough that the events fill the stuck client's socket buffers quickly. */
  static final String NODE = "n".repeat(400);

  @TempDir Path home;
  EventHub hub;
  EventStreams streams;
  Javalin app;
  long seq;

  @BeforeEach
  void start() {
    start(Duration.ofMillis(200));
  }

  /**
   * A hub, its streams with heartbeats {@code heartbeat} apart, and a server of {@code /events}.
   */
  private void start(Duration heartbeat) {
    hub = new EventHub(Clock.systemUTC());
    // One writer for all: what one client does must not hold the other on the same thread.
    streams = new EventStreams(hub, FileRunStore.under(home), heartbeat, Duration.ofMillis(200), 1);
    app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.routes.get(
                  "/events",
                  ctx -> {
                    String last = ctx.header("Last-Event-ID");
                    Long position = last == null ? streams.globalPosition() : Long.valueOf(last);
                    new SseHandler(0, client -> streams.global(client, position)).handle(ctx);
                  });
            });
    app.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws InterruptedException {
    hub.close();
    streams.awaitClosed(Duration.ofSeconds(10));
    app.stop();
  }

  /** Hands {@code n} node starts of one run to the hub, as the engine does. */
  private void publish(int n) {
    publish(n, NODE);
  }

  private void publish(int n, String node) {
    for (int i = 0; i < n; i++) {
      seq++;
      hub.recorded(new RecordedEvent(seq, Instant.now(), "r1", new Event.NodeStarted(node, 1)));
    }
  }

  /** An SSE client on a plain socket; frames are read by a thread once {@link #read} is called. */
  final class Client implements AutoCloseable {
    record Frame(long id, String event) {}

    final Socket socket = new Socket();
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    final CountDownLatch ended = new CountDownLatch(1);
    final InputStream in;

    /** Connects and reads the response's head; a small {@code receiveBuffer} when not 0. */
    Client(Long lastId, int receiveBuffer) throws IOException {
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", app.port()));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                  + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n")
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      in = socket.getInputStream();
      // The head, byte by byte, so that nothing of the body is read before read() is called.
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        assertThat(b).as("the response head: %s", head).isNotNegative();
        head.append((char) b);
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 200");
    }

    /** Starts reading the body (chunked: the size lines are not SSE lines and are skipped). */
    Client read() {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  long id = -1;
                  String event = null;
                  for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("id: ")) {
                      id = Long.parseLong(line.substring(4));
                    } else if (line.startsWith("event: ")) {
                      event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                      frames.add(new Frame(id, event));
                    } else if (line.startsWith(": ")) {
                      comments.add(line.substring(2));
                    }
                  }
                } catch (IOException e) {
                  // closed by the test
                } finally {
                  ended.countDown();
                }
              },
              "sse-test-reader");
      t.setDaemon(true);
      t.start();
      return this;
    }

    Frame next() throws InterruptedException {
      Frame f = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(f).as("an event within %s", WAIT).isNotNull();
      return f;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aClientThatStopsReadingHoldsNoOtherAndIsToldToResyncWhenItReadsAgain() throws Exception {
    long first = hub.firstGlobalId();
    try (Client stuck = new Client(null, 2048);
        Client reader = new Client(null, 0).read()) {
      int n = 3 * EventHub.GLOBAL_BUFFER;
      publish(n);
      // The reader gets every event, in order, while the other's socket stays full.
      for (int i = 0; i < n; i++) {
        Client.Frame f = reader.next();
        assertThat(f.id()).isEqualTo(first + i);
        assertThat(f.event()).isEqualTo("node_started");
      }
      // Now the stuck one reads: what was sent to it, in order, then a resync, as it fell out of
      // the hub's buffer, then what comes next.
      stuck.read();
      Client.Frame f = stuck.next();
      assertThat(f.id()).isEqualTo(first);
      long last = f.id();
      while (true) {
        f = stuck.next();
        if (f.event().equals("resync")) {
          break;
        }
        assertThat(f.id()).isEqualTo(last + 1);
        last = f.id();
      }
      assertThat(last).isLessThan(first + n - EventHub.GLOBAL_BUFFER);
      assertThat(f.id()).isEqualTo(first + n - 1);
      publish(1);
      assertThat(stuck.next()).isEqualTo(new Client.Frame(first + n, "node_started"));
      assertThat(reader.next()).isEqualTo(new Client.Frame(first + n, "node_started"));
    }
  }

  @Test
  void aClientResumesAfterItsLastEventIdWithoutLossOrRepeats() throws Exception {
    long first = hub.firstGlobalId();
    publish(10);
    try (Client resumed = new Client(first + 3, 0).read()) {
      for (long id = first + 4; id < first + 10; id++) {
        assertThat(resumed.next()).isEqualTo(new Client.Frame(id, "node_started"));
      }
      publish(1);
      assertThat(resumed.next()).isEqualTo(new Client.Frame(first + 10, "node_started"));
    }
    // An id from before this server started: a resync first, with the newest id.
    try (Client old = new Client(5L, 0).read()) {
      assertThat(old.next()).isEqualTo(new Client.Frame(first + 10, "resync"));
      publish(1);
      assertThat(old.next()).isEqualTo(new Client.Frame(first + 11, "node_started"));
    }
  }

  @Test
  void anIdleStreamGetsHeartbeats() throws Exception {
    try (Client idle = new Client(null, 0).read()) {
      assertThat(idle.comments.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("heartbeat");
      assertThat(idle.comments.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("heartbeat");
      assertThat(idle.frames).isEmpty();
    }
  }

  @Test
  void closingTheHubEndsEveryStreamEvenOneWhoseSocketIsFull() throws Exception {
    try (Client stuck = new Client(null, 2048);
        Client reader = new Client(null, 0).read()) {
      int n = EventHub.GLOBAL_BUFFER;
      publish(n);
      for (int i = 0; i < n; i++) {
        reader.next();
      }
      hub.close();
      assertThat(streams.awaitClosed(WAIT)).as("every stream's request completed").isTrue();
      assertThat(reader.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the reader saw its response end")
          .isTrue();
    }
  }

  @Test
  void aClientThatGoesAwayIsDroppedAtTheNextWrite() throws Exception {
    Client gone = new Client(null, 0).read();
    // A heartbeat: the writer serves it.
    assertThat(gone.comments.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("heartbeat");
    gone.close();
    // The next write (this event, else a heartbeat) finds the connection closed.
    publish(1);
    assertThat(streams.awaitClosed(WAIT)).as("the gone client's request completed").isTrue();
  }

  @Test
  void aClientThatNeverReadsAgainIsDroppedByTheIdleTimeout() throws Exception {
    for (Connector c : app.jettyServer().server().getConnectors()) {
      ((AbstractConnector) c).setIdleTimeout(1000);
    }
    try (Client stuck = new Client(null, 2048)) {
      publish(EventHub.GLOBAL_BUFFER);
      // Its pending write fails when the connection has made no progress for the idle timeout.
      assertThat(streams.awaitClosed(WAIT)).as("the stuck client's request completed").isTrue();
      // And the server closed the connection: what it had sent, then the end (or a reset).
      stuck.socket.setSoTimeout((int) WAIT.toMillis());
      byte[] buffer = new byte[65536];
      try {
        while (stuck.in.read(buffer) >= 0) {
          // what was sent before the timeout
        }
      } catch (SocketException e) {
        // reset: the server closed it with bytes unsent
      }
    }
  }

  @Test
  void clientsSharedAmongSeveralWritersEachGetEveryEventOnce() throws Exception {
    streams =
        new EventStreams(
            hub, FileRunStore.under(home), Duration.ofMillis(200), Duration.ofMillis(200), 2);
    long first = hub.firstGlobalId();
    List<Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        clients.add(new Client(null, 0).read());
      }
      publish(100);
      for (Client c : clients) {
        for (long id = first; id < first + 100; id++) {
          assertThat(c.next()).isEqualTo(new Client.Frame(id, "node_started"));
        }
      }
      hub.close();
      assertThat(streams.awaitClosed(WAIT)).as("every stream's request completed").isTrue();
      for (Client c : clients) {
        assertThat(c.ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(c.frames).isEmpty();
      }
    } finally {
      for (Client c : clients) {
        c.close();
      }
    }
  }

  @Test
  void aClientThatReadsLateButWithinTheBufferGetsEveryEventInOrderWithoutResync() throws Exception {
    long first = hub.firstGlobalId();
    try (Client late = new Client(null, 2048)) {
      // Far more than its socket buffers hold (about 18 MB against at most 4 MB on Linux), so that
      // writes to it wait for the container's callback, but fewer events than the hub keeps.
      int n = EventHub.GLOBAL_BUFFER - 1000;
      publish(n, "n".repeat(2000));
      late.read();
      for (long id = first; id < first + n; id++) {
        assertThat(late.next()).isEqualTo(new Client.Frame(id, "node_started"));
      }
      publish(1);
      assertThat(late.next()).isEqualTo(new Client.Frame(first + n, "node_started"));
    }
  }

  @Test
  void whatALateReaderIsOwedIsFlushedWhenItsSocketTakesMoreNotAtTheNextHeartbeat()
      throws Exception {
    // Heartbeats an hour apart: a frame left in the container's buffer would wait that long.
    stop();
    start(Duration.ofHours(1));
    long first = hub.firstGlobalId();
    // Frames of several sizes, so that some round's last write fills the container's buffer
    // part-way while the socket is full: the rest of that frame stays in the buffer until flushed.
    for (int round = 0; round < 8; round++) {
      try (Client late = new Client(null, 2048)) {
        int n = 3000;
        publish(n, "n".repeat(1500 + 371 * round));
        late.read();
        Client.Frame f = null;
        for (int i = 0; i < n; i++) {
          f = late.next();
        }
        assertThat(f.id()).isEqualTo(first + seq - 1);
      }
    }
  }
}
