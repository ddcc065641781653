package dev.orchestra.engine;

import dev.orchestra.agent.Agent;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** A real engine (command agent, local executor, file store) on a temporary directory. */
final class EngineFixture implements AutoCloseable {
  final Path dir;
  final FileRunStore store;
  final Engine engine;
  final List<RecordedEvent> events = new ArrayList<>();

  EngineFixture(Path dir, Agent... extraAgents) {
    this(dir, Map.of("GREETING", "hello"), extraAgents);
  }

  /** An engine whose {@code {{ env.* }}} and credential variables are {@code env}. */
  EngineFixture(Path dir, Map<String, String> env, Agent... extraAgents) {
    this.dir = dir;
    this.store = FileRunStore.under(dir);
    Engine.Builder b =
        Engine.builder().store(store).baseDirectory(dir).random(new Random(7)).environment(env);
    for (Agent a : extraAgents) {
      b.agent(a);
    }
    this.engine = b.build();
  }

  /** Writes {@code yaml} to {@code name} in the directory and loads it, validated. */
  Workflow workflow(String name, String yaml) {
    Path file = write(name, yaml);
    return Workflows.load(file, (Map<String, String>) null);
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

  @Override
  public void close() {
    engine.close();
  }
}
