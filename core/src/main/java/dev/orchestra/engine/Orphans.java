package dev.orchestra.engine;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.exec.EndedProcess;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.exec.ProcessReaper;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.RunStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the processes that an earlier, crashed session of a run left running. Every process group an
 * attempt starts is recorded with its leader's start time and its tag variable ({@link
 * dev.orchestra.store.AttemptRecorder#process}); after a {@code kill -9} of the engine's JVM those
 * groups live on, since each runs in its own group, and so do daemons that left them (found by the
 * tag, see {@link ProcessReaper}). A resume calls {@link #reap} while holding the run's lock and
 * before anything runs, so no live session of the run can own them.
 */
final class Orphans {
  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);

  private Orphans() {}

  /**
   * Kills the recorded process groups of every unfinished attempt (a {@code node_started} with no
   * later {@code node_finished}) whose leader is still the recorded process; blocks until they are
   * gone, at most {@link ProcessReaper#LIMIT} per group.
   *
   * @return the groups that were killed
   */
  static List<ProcessGroup> reap(List<RecordedEvent> events, RunStore store, String runId) {
    List<ProcessGroup> killed = new ArrayList<>();
    for (Map.Entry<String, Integer> e : unfinished(events).entrySet()) {
      String node = e.getKey();
      int attempt = e.getValue();
      for (AttemptRecord a : store.attempts(runId, node)) {
        if (a.attempt() != attempt) {
          continue;
        }
        for (ProcessGroup group : a.processes()) {
          ProcessReaper.Reaping reaping = ProcessReaper.reapAll(group);
          switch (reaping.outcome()) {
            case KILLED -> {
              killed.add(group);
              LOG.info(
                  "run {}: killed process group {} left running by attempt {} of node {}, and"
                      + " what it had started: pids {}",
                  runId,
                  group.id(),
                  attempt,
                  node,
                  reaping.ended().stream().map(EndedProcess::pid).toList());
            }
            case SURVIVED ->
                LOG.warn(
                    "run {}: process group {} of attempt {} of node {} is still alive {} after"
                        + " SIGKILL; end it with `kill -KILL -- -{}`",
                    runId,
                    group.id(),
                    attempt,
                    node,
                    ProcessReaper.LIMIT,
                    group.id());
            case NOT_RUNNING, STRANGER -> {
              // Nothing of ours is left; the reaper logs a stranger.
            }
          }
        }
      }
    }
    return killed;
  }

  /** Node id to its last attempt, for each node whose last attempt has not finished. */
  static Map<String, Integer> unfinished(List<RecordedEvent> events) {
    Map<String, Integer> open = new LinkedHashMap<>();
    for (RecordedEvent r : events) {
      if (r.event() instanceof Event.NodeStarted s) {
        open.put(s.node(), s.attempt());
      } else if (r.event() instanceof Event.NodeFinished f) {
        open.remove(f.node());
      }
    }
    return open;
  }
}
