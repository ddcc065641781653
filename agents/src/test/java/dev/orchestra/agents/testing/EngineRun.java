package dev.orchestra.agents.testing;

import dev.orchestra.agent.Agent;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
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

/**
 * A real engine with a {@link FileRunStore} in a temporary directory, running AI agents: the
 * fixture of the agents' integration tests. Collects every event its runs emit.
 */
public final class EngineRun implements AutoCloseable {
  private final Path dir;
  private final Engine engine;
  private final List<RecordedEvent> events = new ArrayList<>();

  /**
   * @param environment the engine's variables ({@code ORCHESTRA_HOME}, {@code
   *     ORCHESTRA_CREDENTIAL_*}, {@code {{ env.X }}})
   */
  public EngineRun(Path dir, Map<String, String> environment, Agent... agents) {
    this.dir = dir;
    Engine.Builder b =
        Engine.builder()
            .store(FileRunStore.under(dir))
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

  /** Writes {@code yaml} as {@code workflow.yaml} and loads it, validated. */
  public Workflow workflow(String yaml) {
    Path file = dir.resolve("workflow.yaml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Workflows.load(file, (Map<String, String>) null);
  }

  /** Runs {@code yaml} to its end (at most two minutes). */
  public RunResult run(String yaml) throws InterruptedException {
    return engine
        .start(workflow(yaml), RunOptions.defaults().withListener(this::record))
        .await(Duration.ofMinutes(2))
        .orElseThrow(() -> new AssertionError("the run did not end within 2 minutes"));
  }

  private synchronized void record(RecordedEvent e) {
    events.add(e);
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
