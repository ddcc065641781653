package dev.orchestra.testing;

import dev.orchestra.agent.Agent;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
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

/**
 * A real engine in a directory, recording in the store the test chooses (the file store where a
 * test reads the records on disk, {@code MemoryRunStore} elsewhere): the fixture of the adapters'
 * integration tests. Collects every event its runs emit, and those of any run given {@link #record}
 * as a listener. Thread-safe.
 */
public final class EngineRun implements AutoCloseable {
  private final Path dir;
  private final RunStore store;
  private final Engine engine;
  private final List<RecordedEvent> events = new ArrayList<>();

  /**
   * @param dir the base directory: workflows are written there and nodes work there
   * @param environment the engine's variables ({@code ORCHESTRA_HOME}, {@code
   *     ORCHESTRA_CREDENTIAL_*}, {@code {{ env.X }}})
   */
  public EngineRun(Path dir, RunStore store, Map<String, String> environment, Agent... agents) {
    this.dir = dir;
    this.store = store;
    Engine.Builder b =
        Engine.builder()
            .store(store)
            .baseDirectory(dir)
            .random(new Random(7))
            .environment(environment);
    for (Agent a : agents) {
      b.agent(a);
    }
    this.engine = b.build();
  }

  public Path dir() {
    return dir;
  }

  public RunStore store() {
    return store;
  }

  public Engine engine() {
    return engine;
  }

  /** Writes {@code text} to {@code name} in the directory (creating parents) and returns it. */
  public Path write(String name, String text) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes {@code yaml} as {@code workflow.yaml} and loads it, validated. */
  public Workflow workflow(String yaml) {
    return Workflows.load(write("workflow.yaml", yaml), (Map<String, String>) null);
  }

  /** Runs {@code yaml} to its end (at most two minutes). */
  public RunResult run(String yaml) throws InterruptedException {
    return engine
        .start(workflow(yaml), RunOptions.defaults().withListener(this::record))
        .await(Duration.ofMinutes(2))
        .orElseThrow(() -> new AssertionError("the run did not end within 2 minutes"));
  }

  /** Collects {@code e}; pass it as the listener of runs started on {@link #engine()}. */
  public synchronized void record(RecordedEvent e) {
    events.add(e);
  }

  /** The events collected so far, with their sequence numbers. */
  public synchronized List<RecordedEvent> recorded() {
    return List.copyOf(events);
  }

  public synchronized List<Event> events() {
    return events.stream().map(RecordedEvent::event).toList();
  }

  public synchronized <T extends Event> List<T> events(Class<T> type) {
    return events().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The text of every {@code node_output} event of {@code node}, one per line. */
  public String output(String node) {
    StringBuilder sb = new StringBuilder();
    for (Event.NodeOutput o : events(Event.NodeOutput.class)) {
      if (o.node().equals(node)) {
        sb.append(o.stream()).append(": ").append(o.text()).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    engine.close();
  }
}
