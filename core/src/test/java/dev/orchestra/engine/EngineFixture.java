package dev.orchestra.engine;

import dev.orchestra.agent.Agent;
import dev.orchestra.event.Event;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real engine (command agent, local executor) on a temporary directory, recording in memory; the
 * attempts' working directories are under {@code .orchestra} in that directory.
 */
final class EngineFixture implements AutoCloseable {
  final Path dir;
  final MemoryRunStore store;
  final Engine engine;
  final List<RecordedEvent> events = new ArrayList<>();

  EngineFixture(Path dir, Agent... extraAgents) {
    this(dir, Map.of("GREETING", "hello"), extraAgents);
  }

  /** An engine whose {@code {{ env.* }}} and credential variables are {@code env}. */
  EngineFixture(Path dir, Map<String, String> env, Agent... extraAgents) {
    this(dir, env, b -> {}, extraAgents);
  }

  EngineFixture(
      Path dir, Map<String, String> env, Consumer<Engine.Builder> more, Agent... extraAgents) {
    this.dir = dir;
    this.store = MemoryRunStore.withScratch(dir.resolve(".orchestra"));
    Engine.Builder b =
        Engine.builder()
            .store(store)
            .baseDirectory(dir)
            .random(new Random(7))
            .environment(env)
            .scratch(dir.resolve(".scratch"));
    for (Agent a : extraAgents) {
      b.agent(a);
    }
    more.accept(b);
    this.engine = b.build();
  }

  /** An engine built with {@code more} applied to its builder. */
  static EngineFixture configured(Path dir, Consumer<Engine.Builder> more) {
    return new EngineFixture(dir, Map.of("GREETING", "hello"), more);
  }

  /** An engine whose nodes get their directories from {@code workspaces}. */
  static EngineFixture withWorkspaces(Path dir, WorkspaceProvider workspaces) {
    return new EngineFixture(dir, Map.of("GREETING", "hello"), b -> b.workspaces(workspaces));
  }

  /** Writes {@code yaml} to {@code name} in the directory and loads it, validated. */
  Workflow workflow(String name, String yaml) {
    Path file = write(name, yaml);
    return Workflows.load(file, (Map<String, String>) null);
  }

  /**
   * A composed workflow: writes {@code inner} to inner.yaml, which {@code outer} uses, and loads
   * {@code outer} from outer.yaml, validated.
   */
  Workflow composed(String inner, String outer) {
    write("inner.yaml", inner);
    return workflow("outer.yaml", outer);
  }

  Path write(String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RunHandle start(Workflow wf, RunOptions options) {
    return engine.start(wf, options.withListener(this::record));
  }

  RunResult run(Workflow wf) throws InterruptedException {
    return run(wf, RunOptions.defaults());
  }

  RunResult run(Workflow wf, RunOptions options) throws InterruptedException {
    return start(wf, options)
        .await(Duration.ofSeconds(60))
        .orElseThrow(() -> new AssertionError("the run did not end within 60 s"));
  }

  synchronized void record(RecordedEvent e) {
    events.add(e);
    notifyAll();
  }

  /**
   * Waits until a recorded event matches {@code p} and answers it; fails after 60 s, a bound that
   * only a broken run reaches.
   */
  <T extends Event> T await(Class<T> type, Predicate<T> p) throws InterruptedException {
    return awaitFrom(0, type, p);
  }

  /** Like {@link #await}, among the events from index {@code from} on. */
  synchronized <T extends Event> T awaitFrom(int from, Class<T> type, Predicate<T> p)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int seen = from; ; ) {
      for (; seen < events.size(); seen++) {
        Event e = events.get(seen).event();
        if (type.isInstance(e) && p.test(type.cast(e))) {
          return type.cast(e);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + type.getSimpleName() + " as expected in " + events());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits for {@code node_waiting_approval} of {@code node}; see {@link #await}. */
  Event.NodeWaitingApproval awaitWaiting(String node) throws InterruptedException {
    return await(Event.NodeWaitingApproval.class, e -> e.node().equals(node));
  }

  synchronized List<Event> events() {
    return events.stream().map(RecordedEvent::event).toList();
  }

  synchronized <T extends Event> List<T> events(Class<T> type) {
    return events.stream()
        .map(RecordedEvent::event)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  /** The index of the first event matching {@code p}, or -1. */
  synchronized int indexOf(Predicate<Event> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i).event())) {
        return i;
      }
    }
    return -1;
  }

  static Predicate<Event> started(String node) {
    return e -> e instanceof Event.NodeStarted s && s.node().equals(node);
  }

  static Predicate<Event> finished(String node) {
    return e -> e instanceof Event.NodeFinished f && f.node().equals(node);
  }

  /**
   * Everything recorded about a run, as text: its info, events, every attempt's records, its
   * result, and every file in its attempts' working directories.
   */
  String everythingRecorded(String runId) throws IOException {
    StringBuilder all = new StringBuilder();
    all.append(store.find(runId).orElseThrow()).append('\n');
    Set<String> nodes = new LinkedHashSet<>();
    for (RecordedEvent e : store.events(runId)) {
      all.append(EventJson.encode(e)).append('\n');
      if (e.event() instanceof Event.NodeStarted s) {
        nodes.add(s.node());
      }
    }
    for (String node : nodes) {
      for (AttemptRecord a : store.attempts(runId, node)) {
        all.append(a).append('\n');
      }
    }
    store.result(runId).ifPresent(r -> all.append(r).append('\n'));
    Path files = store.runDirectory(runId);
    if (Files.isDirectory(files)) {
      try (Stream<Path> walk = Files.walk(files)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          all.append(file)
              .append(":\n")
              .append(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8))
              .append('\n');
        }
      }
    }
    return all.toString();
  }

  @Override
  public void close() {
    engine.close();
  }
}
