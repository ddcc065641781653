package dev.orchestra.store;

import java.util.Map;

/**
 * A {@link RunStore} whose runs can be planned for a CI pipeline (docs/pipeline-plan.md): one
 * process creates the run ({@link #create}) and records the files its workflow reads ({@link
 * #planFiles(String, Map)}); then each node is run by a process of its own ({@code orchestra node
 * exec}), many at once and possibly in other copies of the runs directory, each recording through
 * {@link #recordNode}.
 *
 * <p>What nodes record is part of the run: {@link #events} answers the run's own events and every
 * node's, merged in time order (each node's in its own order) and numbered from 1. A node's events
 * get their final numbers when a process takes the run's own lock again ({@link #reopen}: {@code
 * runs finish}, {@code plan --resume}, {@code resume}), which folds them into the run's events;
 * until then a merged number may shift when another node's earlier event arrives (an unstash).
 * While any process records a node of the run, its own lock cannot be taken, and while a process
 * holds the run's lock, no node of it can be recorded.
 *
 * <p>Implementations are thread-safe, as every {@link RunStore} is.
 */
public interface PlannedRunStore extends RunStore {

  /**
   * Records the texts of the files the run's workflow reads besides itself (the workflows of its
   * {@code uses}, its {@code prompt_file}s), so that no later process reads them from its own
   * checkout. Called once, by the process that created the run, while it holds the run's recorder.
   *
   * @param files each file's text by its path relative to the directory the run was planned in
   *     ({@code /} as separator; {@code ../} for files outside it)
   * @throws dev.orchestra.OrchestraException when there is no such run or the store cannot be
   *     written
   */
  void planFiles(String runId, Map<String, String> files);

  /**
   * The files {@link #planFiles(String, Map)} recorded; empty when none were.
   *
   * @throws dev.orchestra.OrchestraException when there is no such run or the records cannot be
   *     read
   */
  Map<String, String> planFiles(String runId);

  /**
   * Whether the run was planned for a pipeline: {@link #planFiles(String, Map)} recorded its files
   * (none, maybe). Its nodes are then run by {@code orchestra node exec}, not by a resumed run.
   *
   * @throws dev.orchestra.OrchestraException when there is no such run or the records cannot be
   *     read
   */
  boolean planned(String runId);

  /**
   * Locks the top-level node {@code node} of the run for this process and answers a recorder for
   * its part of the records: the events it appends are the node's (its inner nodes' too, for a
   * composed node), its attempts are recorded as any run's. The events' {@code seq} numbers are
   * provisional (see the class comment). The recorder's {@link RunRecorder#finish} is not for a
   * node and throws {@link IllegalStateException}.
   *
   * @throws dev.orchestra.OrchestraException when there is no such run, another process records
   *     this node, or a process holds the run's own lock
   */
  RunRecorder recordNode(String runId, String node);
}
