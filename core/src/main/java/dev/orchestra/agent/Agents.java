package dev.orchestra.agent;

import dev.orchestra.OrchestraException.LaunchException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents a run may use, by {@link Agent#name()}. Immutable and thread-safe; {@link #with}
 * returns a new instance, so front ends add their adapters (Claude, Codex, Gemini) on top of {@link
 * #builtIn()}.
 */
public final class Agents {
  private final Map<String, Agent> byName;

  private Agents(Map<String, Agent> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /**
   * These agents.
   *
   * @throws IllegalArgumentException when two share a name
   */
  public static Agents of(Agent... agents) {
    var map = new LinkedHashMap<String, Agent>();
    for (Agent agent : agents) {
      if (map.putIfAbsent(agent.name(), agent) != null) {
        throw new IllegalArgumentException("two agents are named '" + agent.name() + "'");
      }
    }
    return new Agents(map);
  }

  /** These agents plus {@code agent}, which replaces one of the same name. */
  public Agents with(Agent agent) {
    var map = new LinkedHashMap<>(byName);
    map.put(agent.name(), agent);
    return new Agents(map);
  }

  public Optional<Agent> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The agent named {@code name}.
   *
   * @throws LaunchException naming the known agents when there is none by that name
   */
  public Agent get(String name) {
    Agent agent = byName.get(name);
    if (agent == null) {
      throw new LaunchException(
          "no agent named '"
              + name
              + "' is available; known agents: "
              + String.join(", ", byName.keySet()));
    }
    return agent;
  }

  /** The names, in the order the agents were added. */
  public Set<String> names() {
    return byName.keySet();
  }
}
