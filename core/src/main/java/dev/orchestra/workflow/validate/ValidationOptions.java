package dev.orchestra.workflow.validate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What validation knows beyond the workflow itself. Immutable; derive variants with the {@code
 * with…} methods.
 *
 * @param inputs the input values a run is given, or {@code null} when the workflow is only being
 *     validated (then missing required inputs are not reported)
 * @param agents the agent names that exist, e.g. {@link #DEFAULT_AGENTS}
 * @param loader reads the files that nodes compose with {@code uses}
 */
public record ValidationOptions(
    Map<String, String> inputs, Set<String> agents, WorkflowLoader loader) {

  /** The agents Orchestra ships with (SPEC §7). */
  public static final Set<String> DEFAULT_AGENTS = Set.of("claude", "codex", "gemini", "command");

  public ValidationOptions {
    inputs = inputs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    agents = Set.copyOf(Objects.requireNonNull(agents, "agents"));
    Objects.requireNonNull(loader, "loader");
  }

  /** No inputs (validation only), the default agents, files read from disk. */
  public static ValidationOptions defaults() {
    return new ValidationOptions(null, DEFAULT_AGENTS, WorkflowLoader.fromDisk());
  }

  /** These options for a run given {@code values} as its inputs. */
  public ValidationOptions withInputs(Map<String, String> values) {
    return new ValidationOptions(Objects.requireNonNull(values, "values"), agents, loader);
  }

  /** These options with {@code names} as the known agents. */
  public ValidationOptions withAgents(Set<String> names) {
    return new ValidationOptions(inputs, names, loader);
  }

  /** These options reading composed files with {@code reader}. */
  public ValidationOptions withLoader(WorkflowLoader reader) {
    return new ValidationOptions(inputs, agents, reader);
  }
}
