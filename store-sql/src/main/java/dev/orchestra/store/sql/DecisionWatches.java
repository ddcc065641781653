package dev.orchestra.store.sql;

import dev.orchestra.store.DecisionWatch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open {@link DecisionWatch}es of one store. A decision this store records is reported at once,
 * on the deciding thread; one another process (another server, {@code orchestra approve}) records
 * is found by a poll of the watched runs' decisions every {@link SqlOptions#decisionPoll()} (one
 * indexed query per watched run), on the store's scheduler thread. Each watch reports each node at
 * most once, whichever way found it first; it also reports decisions recorded before it was opened,
 * on its first poll.
 */
final class DecisionWatches {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionWatches.class);

  private final Database db;
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  DecisionWatches(Database db, ScheduledExecutorService scheduler, SqlOptions options) {
    this.db = db;
    long every = options.decisionPoll().toMillis();
    scheduler.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
  }

  DecisionWatch watch(String runId, Set<String> nodes, Consumer<String> listener) {
    Watch w = new Watch(runId, nodes, listener);
    watches.add(w);
    return w;
  }

  /** Tells the watches of {@code runId} that this store recorded a decision for {@code node}. */
  void decided(String runId, String node) {
    for (Watch w : watches) {
      if (w.runId.equals(runId)) {
        w.report(node);
      }
    }
  }

  private void poll() {
    if (watches.isEmpty()) {
      return;
    }
    Map<String, List<Watch>> byRun = new LinkedHashMap<>();
    for (Watch w : watches) {
      byRun.computeIfAbsent(w.runId, r -> new CopyOnWriteArrayList<>()).add(w);
    }
    for (Map.Entry<String, List<Watch>> e : byRun.entrySet()) {
      try {
        Set<String> decided = decidedNodes(e.getKey());
        for (Watch w : e.getValue()) {
          decided.forEach(w::report);
        }
      } catch (RuntimeException ex) {
        LOG.warn(
            "run {}: looking for decisions failed, will look again: {}",
            e.getKey(),
            ex.getMessage());
      }
    }
  }

  private Set<String> decidedNodes(String runId) {
    return db.read(
        "read the decisions of run " + runId,
        c -> {
          Set<String> nodes = new HashSet<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT node FROM decisions WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                nodes.add(r.getString(1));
              }
            }
          }
          return nodes;
        });
  }

  private final class Watch implements DecisionWatch {
    final String runId;
    final Set<String> nodes;
    final Consumer<String> listener;
    final Set<String> reported = new HashSet<>();
    volatile boolean closed;

    Watch(String runId, Set<String> nodes, Consumer<String> listener) {
      this.runId = runId;
      this.nodes = Set.copyOf(nodes);
      this.listener = listener;
    }

    void report(String node) {
      if (closed || !nodes.contains(node)) {
        return;
      }
      synchronized (this) {
        if (!reported.add(node)) {
          return;
        }
      }
      try {
        listener.accept(node);
      } catch (RuntimeException e) {
        LOG.warn("run {}: taking up the decision on node {} failed", runId, node, e);
      }
    }

    @Override
    public void close() {
      closed = true;
      watches.remove(this);
    }
  }
}
