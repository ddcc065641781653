package dev.orchestra.store;

import dev.orchestra.check.CheckResult;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the records of one attempt of one node. Thread-safe: stdout and stderr lines arrive from
 * two reader threads.
 */
public interface AttemptRecorder extends AutoCloseable {

  /**
   * A private local directory for this attempt's working files (the agent's prompt, feedback and
   * output files). A file-based store returns the attempt's record directory, so the files become
   * part of the records; other stores return a scratch directory.
   */
  Path directory();

  /** Records the prompt sent to the agent. */
  void prompt(String prompt);

  /** Appends one line of the agent's output. */
  void line(OutputStream stream, String line);

  /** Records the result of the check at {@code index} (from 1). */
  void check(int index, CheckResult result);

  /** Records the attempt's final output. */
  void output(String output);

  /**
   * Records what the attempt spent: its agent's usage plus that of its critics. Called once, at the
   * end of the attempt. A store that keeps no per-attempt usage may ignore it: the node's and the
   * run's usage are in the events and the result.
   */
  default void usage(Usage usage) {}

  /** Records the named outputs read after the checks passed. */
  void outputs(Map<String, String> outputs);

  /**
   * Records a process group the attempt started (its agent's or a check's), as soon as it has
   * started, so that a resume after a crash can end it ({@link dev.orchestra.exec.ProcessReaper}).
   * When this returns, the record survives a crash of this process.
   */
  void process(ProcessGroup group);

  /** Flushes and closes what this recorder opened. Idempotent. */
  @Override
  void close();
}
