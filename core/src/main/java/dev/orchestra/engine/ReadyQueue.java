package dev.orchestra.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The nodes that are ready to start, one FIFO queue per agent, and the slots they start in: at most
 * {@code concurrency} nodes run at once, at most an agent's cap ({@code limits.agents}) of each
 * agent, and none of an agent while one of its nodes waits for a provider's rate limit to reset
 * ({@link #hold}). {@link #next()} takes the longest-waiting head among the queues that may start
 * one: O(agents) per node started.
 *
 * <p>Not thread-safe: the coordinator's lock guards it.
 */
final class ReadyQueue {
  private final int concurrency;
  private final Map<String, Integer> caps;
  private final Map<String, ArrayDeque<Entry>> queues = new LinkedHashMap<>();
  private final Map<String, Integer> runningPerAgent = new HashMap<>();

  /** Nodes waiting for a provider's rate limit to reset, with their agents. */
  private final Map<GraphNode, String> holding = new HashMap<>();

  private int running;
  private long readyCounter;

  private record Entry(long seq, GraphNode node) {}

  /**
   * @param concurrency the most nodes running at once
   * @param caps the most running nodes per agent, for the agents that have a cap
   */
  ReadyQueue(int concurrency, Map<String, Integer> caps) {
    this.concurrency = concurrency;
    this.caps = Map.copyOf(caps);
  }

  /** Queues {@code n}, after every node that became ready before it. */
  void add(GraphNode n) {
    queues.computeIfAbsent(n.agent(), a -> new ArrayDeque<>()).add(new Entry(readyCounter++, n));
  }

  /** Takes the next node that may start now, counting it as running; empty when none may. */
  Optional<GraphNode> next() {
    if (running >= concurrency) {
      return Optional.empty();
    }
    ArrayDeque<Entry> best = null;
    for (Map.Entry<String, ArrayDeque<Entry>> q : queues.entrySet()) {
      ArrayDeque<Entry> entries = q.getValue();
      if (entries.isEmpty() || holding.containsValue(q.getKey())) {
        continue;
      }
      Integer cap = caps.get(q.getKey());
      if (cap != null && runningPerAgent.getOrDefault(q.getKey(), 0) >= cap) {
        continue;
      }
      if (best == null || entries.peek().seq() < best.peek().seq()) {
        best = entries;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    GraphNode n = best.poll().node();
    running++;
    runningPerAgent.merge(n.agent(), 1, Integer::sum);
    return Optional.of(n);
  }

  /** A node {@link #next()} returned has ended: its slot is free and its hold, if any, is over. */
  void ended(GraphNode n) {
    running--;
    runningPerAgent.merge(n.agent(), -1, Integer::sum);
    holding.remove(n);
  }

  /**
   * Holds back {@code n}'s agent while {@code n} waits for its provider's rate limit to reset.
   *
   * @return whether no other node of the agent was waiting already
   */
  boolean hold(GraphNode n) {
    boolean first = !holding.containsValue(n.agent());
    holding.put(n, n.agent());
    return first;
  }

  /** Ends {@code n}'s {@link #hold}; answers whether it had one. */
  boolean release(GraphNode n) {
    return holding.remove(n) != null;
  }

  /** The number of nodes of {@code agent} waiting to start. */
  int waiting(String agent) {
    ArrayDeque<Entry> q = queues.get(agent);
    return q == null ? 0 : q.size();
  }

  /** Takes every waiting node, agent by agent in the order each queue holds them. */
  List<GraphNode> clear() {
    List<GraphNode> all = new ArrayList<>();
    for (ArrayDeque<Entry> q : queues.values()) {
      Entry e;
      while ((e = q.poll()) != null) {
        all.add(e.node());
      }
    }
    return all;
  }
}
