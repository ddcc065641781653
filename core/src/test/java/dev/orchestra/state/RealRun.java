package dev.orchestra.state;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.memory.MemoryRunStore;
import dev.orchestra.workflow.Workflow;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real run (the engine, the {@code command} agent, local processes, a memory store) of a workflow
 * whose events cover the run's life: output, a failed first attempt and its retry, checks, an
 * approved gate, a rejected one and the node it skips. A projector folds its events as they are
 * delivered, as the live view does.
 */
public final class RealRun {
  static final String WORKFLOW =
      """
      version: 1
      name: real
      inputs:
        version: {default: "1.2"}
      defaults: {agent: command, attempts: 1}
      nodes:
        build: {command: "echo compiling; echo built"}
        flaky:
          attempts: 2
          backoff: {delay: 10ms}
          command: "if [ -e '%1$s' ]; then echo ok; else touch '%1$s'; echo first try fails; exit 1; fi"
          checks:
            - run: "echo checked"
        deploy:
          needs: [build]
          command: "echo deployed"
          approval: {message: "Deploy {{ inputs.version }}?", approvers: [alice]}
        notify:
          needs: [build]
          command: "echo notified"
          approval: {}
        announce: {needs: [notify], command: "echo announced"}
      """;

  public final String runId;
  public final RunResult result;
  public final List<PlannedNode> plan;

  /** The events as the listener got them. */
  public final List<RecordedEvent> delivered;

  /** The state the live projector reached. */
  public final RunState live;

  /** The events as the store recorded them. */
  public final List<RecordedEvent> recorded;

  private final List<RecordedEvent> seen = new ArrayList<>();
  private final RunProjector projector;

  private RealRun(Path dir) throws IOException, InterruptedException {
    Path file = dir.resolve("real.yaml");
    Files.writeString(file, String.format(WORKFLOW, dir.resolve("tried-once")));
    Workflow wf = Workflows.load(file, (Map<String, String>) null);
    plan = PlannedNode.of(wf);
    projector = RunProjector.of(null, plan);
    MemoryRunStore store = MemoryRunStore.withScratch(dir.resolve(".orchestra"));
    try (Engine engine = Engine.builder().store(store).baseDirectory(dir).build()) {
      RunHandle run = engine.start(wf, RunOptions.defaults().withListener(this::onEvent));
      runId = run.runId();
      await(e -> e instanceof Event.NodeWaitingApproval w && w.node().equals("deploy"));
      await(e -> e instanceof Event.NodeWaitingApproval w && w.node().equals("notify"));
      run.approve("deploy", "alice", "ship it");
      run.reject("notify", "bob", null);
      result =
          run.await(Duration.ofSeconds(60))
              .orElseThrow(() -> new AssertionError("the run did not end within 60 s"));
      await(e -> e instanceof Event.RunFinished);
      recorded = store.events(runId);
    }
    synchronized (this) {
      delivered = List.copyOf(seen);
      live = projector.state();
    }
  }

  /** Runs the workflow in {@code dir}. */
  public static RealRun in(Path dir) throws IOException, InterruptedException {
    return new RealRun(dir);
  }

  private synchronized void onEvent(RecordedEvent e) {
    seen.add(e);
    projector.apply(e);
    notifyAll();
  }

  /** Waits for a delivered event matching {@code p}; 60 s bound only a broken run reaches. */
  private synchronized void await(Predicate<Event> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; ; ) {
      for (; i < seen.size(); i++) {
        if (p.test(seen.get(i).event())) {
          return;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no such event among " + seen);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
