package dev.orchestra.store.sql;

import dev.orchestra.event.RecordedEvent;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies runs from another store (the CLI's {@code .orchestra/runs}) into a SQL store, through the
 * {@link RunStore} interface: the run's metadata, every event with its number and time, each node's
 * attempts (prompt, logs, check results, output, named outputs, usage, process groups), the
 * decisions and the result. Files an agent left in an attempt's working directory are not records
 * and stay where they are.
 *
 * <p>Idempotent: a run the target has already is skipped and said so, and a run that is being
 * recorded now (a process holds it) is skipped until it ends. An imported run without a result
 * (interrupted) stays interrupted, and {@code orchestra resume} can continue it from the database.
 */
public final class RunImport {
  private final RunStore source;
  private final SqlRunStore target;

  /** What became of one run. */
  public enum Outcome {
    IMPORTED,
    /** The target has a run of this id: imported before, or the same id by chance. */
    ALREADY_THERE,
    /** A process is recording it now: import it after it ends. */
    RUNNING
  }

  /**
   * One run's outcome.
   *
   * @param runId the run
   * @param outcome what happened to it
   * @param events how many events it has in the source
   */
  public record Report(String runId, Outcome outcome, int events) {}

  public RunImport(RunStore source, SqlRunStore target) {
    this.source = source;
    this.target = target;
  }

  /** Imports every run of the source, oldest first, and reports each. */
  public List<Report> all() {
    List<RunSummary> runs = new ArrayList<>(source.list());
    Collections.reverse(runs);
    return runs.stream().map(this::run).toList();
  }

  /** Imports one run of the source. */
  public Report run(RunSummary run) {
    String id = run.id();
    if (target.find(id).isPresent()) {
      return new Report(id, Outcome.ALREADY_THERE, source.events(id).size());
    }
    if (RunQuery.Status.of(run) == RunQuery.Status.RUNNING) {
      return new Report(id, Outcome.RUNNING, source.events(id).size());
    }
    RunInfo info = source.find(id).orElseThrow();
    List<RecordedEvent> events = source.events(id);
    Optional<RunResult> result = source.result(id);
    try (RunRecorder rec = target.create(info)) {
      events.forEach(rec::append);
      for (String node : nodes(events, result)) {
        for (AttemptRecord a : source.attempts(id, node)) {
          try (AttemptRecorder to = rec.attempt(node, a.attempt())) {
            copy(a, to);
          }
        }
      }
      for (Map.Entry<String, Decision> d : source.decisions(id).entrySet()) {
        target.decide(id, d.getKey(), d.getValue());
      }
      result.ifPresent(rec::finish);
    }
    return new Report(id, Outcome.IMPORTED, events.size());
  }

  private static Set<String> nodes(List<RecordedEvent> events, Optional<RunResult> result) {
    Set<String> nodes = new LinkedHashSet<>();
    for (RecordedEvent e : events) {
      if (e.event().node() != null) {
        nodes.add(e.event().node());
      }
    }
    result.ifPresent(r -> nodes.addAll(r.nodes().keySet()));
    return nodes;
  }

  private static void copy(AttemptRecord a, AttemptRecorder to) {
    if (a.prompt() != null) {
      to.prompt(a.prompt());
    }
    lines(a.stdout(), OutputStream.STDOUT, to);
    lines(a.stderr(), OutputStream.STDERR, to);
    for (ProcessGroup g : a.processes()) {
      to.process(g);
    }
    for (int i = 0; i < a.checks().size(); i++) {
      to.check(i + 1, a.checks().get(i));
    }
    to.output(a.output());
    if (a.usage() != null) {
      to.usage(a.usage());
    }
    if (!a.outputs().isEmpty()) {
      to.outputs(a.outputs());
    }
  }

  private static void lines(String text, OutputStream stream, AttemptRecorder to) {
    if (text == null || text.isEmpty()) {
      return;
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    for (String line : body.split("\n", -1)) {
      to.line(stream, line);
    }
  }
}
