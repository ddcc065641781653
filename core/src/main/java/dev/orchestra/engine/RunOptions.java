package dev.orchestra.engine;

import dev.orchestra.trust.Trust;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to start (or resume) a run.
 *
 * @param inputs values for the workflow's inputs; declared defaults fill the rest (ignored on
 *     resume, which uses the recorded inputs)
 * @param concurrency overrides {@code limits.concurrency} (e.g. {@code --concurrency}); {@code
 *     null} to keep the workflow's value or the CPU count
 * @param listeners receive every event of the run from the first ({@code run_started}) on
 * @param workflowText the workflow file's exact text, recorded for resume; {@code null} to read
 *     {@code workflow.file()}
 * @param resume the id of an earlier run of the same workflow to continue instead of starting a new
 *     one ({@code orchestra run FILE --resume RUN}); {@code null} for a new run
 * @param trust how far the workflow is trusted (docs/security.md): {@link Trust#UNTRUSTED}, the
 *     default, keeps every path inside the workspace and the workflow's repository and URLs on
 *     public addresses; {@link Trust#LOCAL} ({@code --trust-local}) relaxes that for a user's own
 *     workflow. Front ends that run other people's workflows (pull requests, webhooks) pass {@code
 *     UNTRUSTED} whatever else they are told.
 */
public record RunOptions(
    Map<String, String> inputs,
    Integer concurrency,
    List<EventListener> listeners,
    String workflowText,
    String resume,
    Trust trust) {
  public RunOptions {
    trust = trust == null ? Trust.UNTRUSTED : trust;
    inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
    if (concurrency != null && concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
  }

  /** No inputs, no override, no listeners, untrusted. */
  public static RunOptions defaults() {
    return new RunOptions(Map.of(), null, List.of(), null, null, Trust.UNTRUSTED);
  }

  public RunOptions withInputs(Map<String, String> inputs) {
    return new RunOptions(inputs, concurrency, listeners, workflowText, resume, trust);
  }

  public RunOptions withConcurrency(Integer concurrency) {
    return new RunOptions(inputs, concurrency, listeners, workflowText, resume, trust);
  }

  public RunOptions withListener(EventListener listener) {
    List<EventListener> all = new java.util.ArrayList<>(listeners);
    all.add(listener);
    return new RunOptions(inputs, concurrency, all, workflowText, resume, trust);
  }

  public RunOptions withWorkflowText(String text) {
    return new RunOptions(inputs, concurrency, listeners, text, resume, trust);
  }

  /** These options continuing the run {@code runId} (see {@link Engine#resume}). */
  public RunOptions withResume(String runId) {
    return new RunOptions(inputs, concurrency, listeners, workflowText, runId, trust);
  }

  /** These options trusting the workflow as {@code level} says. */
  public RunOptions withTrust(Trust level) {
    return new RunOptions(inputs, concurrency, listeners, workflowText, resume, level);
  }

  /** Reads the text of a workflow file for {@link #workflowText}. */
  static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new dev.orchestra.OrchestraException(
          "cannot read workflow file " + file + ": " + e + "; check the path", e);
    }
  }
}
