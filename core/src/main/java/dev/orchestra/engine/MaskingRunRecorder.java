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

/**
 * The choke point between a run and its records: every text a {@link RunRecorder} receives (events,
 * prompts, output lines, check outputs, outputs, the result) passes the run's {@link SecretMasker}
 * first. Output lines arrive already masked per stream by the node runner (which also catches
 * secrets split across lines); they are masked again here, which is idempotent. Thread-safe as the
 * recorder it wraps.
 */
final class MaskingRunRecorder implements RunRecorder {
  private final RunRecorder inner;
  private final SecretMasker masker;

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

  @Override
  public String runId() {
    return inner.runId();
  }

  @Override
  public void append(RecordedEvent event) {
    inner.append(
        new RecordedEvent(event.seq(), event.time(), event.run(), mask(event.event(), masker)));
  }

  @Override
  public AttemptRecorder attempt(String node, int attempt) {
    return new Attempt(inner.attempt(node, attempt));
  }

  @Override
  public void finish(RunResult r) {
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
            r.checkout()));
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
      rec.prompt(masker.mask(prompt));
    }

    @Override
    public void line(OutputStream stream, String line) {
      rec.line(stream, masker.mask(line));
    }

    @Override
    public void check(int index, CheckResult result) {
      rec.check(
          index, new CheckResult(result.check(), result.passed(), masker.mask(result.output())));
    }

    @Override
    public void output(String output) {
      rec.output(masker.mask(output));
    }

    @Override
    public void outputs(Map<String, String> outputs) {
      rec.outputs(masker.mask(outputs));
    }

    @Override
    public void process(ProcessGroup group) {
      rec.process(group);
    }

    @Override
    public void usage(Usage usage) {
      rec.usage(usage);
    }

    @Override
    public void close() {
      rec.close();
    }
  }
}
