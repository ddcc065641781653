package dev.orchestra.engine;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.NodeResult;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The choke point between a run and its records: every text a {@link RunRecorder} receives (events,
 * prompts, output lines, check outputs, outputs, the result) passes the run's {@link SecretMasker}
 * first. Output lines arrive already masked per stream by the node runner (which also catches
 * secrets split across lines); they are masked again here, which is idempotent. Thread-safe as the
 * recorder it wraps.
 *
 * <p>It is also where a failure to write the records (a full disk, a directory made read-only) is
 * noticed, once, for the whole run ({@link #failure()}): the first one is handed to {@link
 * #onFailure}'s listener (the coordinator stops the run, which can be resumed once there is room),
 * and nothing is written after it, so the records end with the last whole event. An attempt's
 * writes that fail are not thrown at the node's output readers.
 */
final class MaskingRunRecorder implements RunRecorder {
  private final RunRecorder inner;
  private final SecretMasker masker;
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile Consumer<RuntimeException> onFailure = e -> {};

  MaskingRunRecorder(RunRecorder inner, SecretMasker masker) {
    this.inner = inner;
    this.masker = masker;
  }

  /** {@code event} with every text field masked. */
  static Event mask(Event event, SecretMasker m) {
    if (m.isEmpty()) {
      return event;
    }
    if (event instanceof Event.RunStarted e) {
      return new Event.RunStarted(e.workflow(), m.mask(e.inputs()), e.resumed());
    } else if (event instanceof Event.NodeOutput e) {
      return new Event.NodeOutput(e.node(), e.stream(), m.mask(e.text()));
    } else if (event instanceof Event.CheckFinished e) {
      return new Event.CheckFinished(e.node(), e.check(), e.passed(), m.mask(e.output()));
    } else if (event instanceof Event.NodeRetrying e) {
      return new Event.NodeRetrying(e.node(), e.attempt(), e.delayMs(), m.mask(e.reason()));
    } else if (event instanceof Event.NodeRateLimited e) {
      return new Event.NodeRateLimited(e.node(), e.attempt(), e.delayMs(), m.mask(e.reason()));
    } else if (event instanceof Event.NodeFinished e) {
      return new Event.NodeFinished(
          e.node(),
          e.status(),
          e.attempts(),
          e.durationMs(),
          m.mask(e.reason()),
          e.usage(),
          m.mask(e.output()));
    } else if (event instanceof Event.RunFinished e) {
      return new Event.RunFinished(e.status(), e.usage(), m.mask(e.reason()));
    } else if (event instanceof Event.NodeWaitingApproval e) {
      return new Event.NodeWaitingApproval(e.node(), m.mask(e.message()), e.approvers());
    } else if (event instanceof Event.NodeApproved e) {
      return new Event.NodeApproved(e.node(), e.by(), m.mask(e.comment()), e.decidedAt());
    } else if (event instanceof Event.NodeRejected e) {
      return new Event.NodeRejected(e.node(), e.by(), m.mask(e.comment()), e.decidedAt());
    }
    // node_started and node_checking carry no text.
    return event;
  }

  /** Tells {@code listener} the first failure to write the records; it must not block. */
  void onFailure(Consumer<RuntimeException> listener) {
    this.onFailure = listener;
  }

  /** The first failure to write the run's records, if any. */
  Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Notes a failure to write the records (also one found outside this recorder). */
  void failed(RuntimeException e) {
    if (failure.compareAndSet(null, e)) {
      onFailure.accept(e);
    }
  }

  @Override
  public String runId() {
    return inner.runId();
  }

  /**
   * Records the event, unless the records failed before.
   *
   * @throws RuntimeException the store's failure, after it was noted
   */
  @Override
  public void append(RecordedEvent event) {
    if (failure.get() != null) {
      return;
    }
    try {
      inner.append(
          new RecordedEvent(event.seq(), event.time(), event.run(), mask(event.event(), masker)));
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  @Override
  public AttemptRecorder attempt(String node, int attempt) {
    try {
      return new Attempt(inner.attempt(node, attempt));
    } catch (RuntimeException e) {
      failed(e);
      throw e;
    }
  }

  /**
   * Writes the result.
   *
   * @throws RuntimeException the store's failure, also when the records had failed before (then no
   *     result is written: the records end with their last whole event, and the run can be resumed)
   */
  @Override
  public void finish(RunResult r) {
    RuntimeException before = failure.get();
    if (before != null) {
      throw before;
    }
    Map<String, NodeResult> nodes = new LinkedHashMap<>();
    r.nodes()
        .forEach(
            (id, n) ->
                nodes.put(
                    id,
                    new NodeResult(
                        n.node(),
                        n.status(),
                        n.attempts(),
                        n.durationMs(),
                        n.usage(),
                        masker.mask(n.output()),
                        masker.mask(n.reason()),
                        masker.mask(n.outputs()),
                        n.branch())));
    write(
        () ->
            inner.finish(
                new RunResult(
                    r.runId(),
                    r.workflow(),
                    r.status(),
                    masker.mask(r.reason()),
                    r.started(),
                    r.finished(),
                    r.usage(),
                    nodes,
                    r.branch(),
                    r.checkout())));
    RuntimeException after = failure.get();
    if (after != null) {
      throw after;
    }
  }

  /** Runs one write, noting its failure instead of throwing it. */
  private void write(Runnable write) {
    if (failure.get() != null) {
      return;
    }
    try {
      write.run();
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  @Override
  public void close() {
    inner.close();
  }

  private final class Attempt implements AttemptRecorder {
    private final AttemptRecorder rec;

    Attempt(AttemptRecorder rec) {
      this.rec = rec;
    }

    @Override
    public Path directory() {
      return rec.directory();
    }

    @Override
    public void prompt(String prompt) {
      write(() -> rec.prompt(masker.mask(prompt)));
    }

    @Override
    public void line(OutputStream stream, String line) {
      write(() -> rec.line(stream, masker.mask(line)));
    }

    @Override
    public void check(int index, CheckResult result) {
      write(
          () ->
              rec.check(
                  index,
                  new CheckResult(result.check(), result.passed(), masker.mask(result.output()))));
    }

    @Override
    public void output(String output) {
      write(() -> rec.output(masker.mask(output)));
    }

    @Override
    public void outputs(Map<String, String> outputs) {
      write(() -> rec.outputs(masker.mask(outputs)));
    }

    @Override
    public void process(ProcessGroup group) {
      // Thrown: a process whose group is not on record must not run (see AttemptStep.recording).
      try {
        rec.process(group);
      } catch (RuntimeException e) {
        failed(e);
        throw e;
      }
    }

    @Override
    public void usage(Usage usage) {
      write(() -> rec.usage(usage));
    }

    @Override
    public void close() {
      write(rec::close);
    }
  }
}
