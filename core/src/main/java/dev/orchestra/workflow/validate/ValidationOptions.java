package dev.orchestra.workflow.validate;

import dev.orchestra.trust.Trust;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
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
 * @param sources the text of files already in memory (e.g. submitted to the server), by path; used
 *     to place problems inside templates exactly. Files not in it are read from disk, and where
 *     that fails positions inside templates are estimated from the value's start.
 * @param trust how far the workflow is trusted: under {@link Trust#UNTRUSTED} (the default) paths
 *     must stay inside the workspace or the workflow's repository, docker {@code mounts} inside the
 *     workspace, and containers may not be loosened (docs/security.md)
 */
public record ValidationOptions(
    Map<String, String> inputs,
    Set<String> agents,
    WorkflowLoader loader,
    Map<Path, String> sources,
    Trust trust) {

  /** The agents Orchestra ships with (docs/agents.md). */
  public static final Set<String> DEFAULT_AGENTS = Set.of("claude", "codex", "gemini", "command");

  public ValidationOptions {
    inputs = inputs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    agents = Set.copyOf(Objects.requireNonNull(agents, "agents"));
    Objects.requireNonNull(loader, "loader");
    sources = Map.copyOf(Objects.requireNonNull(sources, "sources"));
    Objects.requireNonNull(trust, "trust");
  }

  /** No inputs (validation only), the default agents, files read from disk, untrusted. */
  public static ValidationOptions defaults() {
    return new ValidationOptions(
        null, DEFAULT_AGENTS, WorkflowLoader.fromDisk(), Map.of(), Trust.UNTRUSTED);
  }

  /** These options for a run given {@code values} as its inputs. */
  public ValidationOptions withInputs(Map<String, String> values) {
    return new ValidationOptions(
        Objects.requireNonNull(values, "values"), agents, loader, sources, trust);
  }

  /** These options with {@code names} as the known agents. */
  public ValidationOptions withAgents(Set<String> names) {
    return new ValidationOptions(inputs, names, loader, sources, trust);
  }

  /** These options reading composed files with {@code reader}. */
  public ValidationOptions withLoader(WorkflowLoader reader) {
    return new ValidationOptions(inputs, agents, reader, sources, trust);
  }

  /** These options knowing that {@code file} holds {@code content} (it need not be on disk). */
  public ValidationOptions withSource(Path file, String content) {
    Map<Path, String> more = new HashMap<>(sources);
    more.put(file.toAbsolutePath().normalize(), content);
    return new ValidationOptions(inputs, agents, loader, more, trust);
  }

  /** These options trusting the workflow as {@code level} says. */
  public ValidationOptions withTrust(Trust level) {
    return new ValidationOptions(inputs, agents, loader, sources, level);
  }
}
