package dev.orchestra.agent;

import dev.orchestra.exec.ExitStatus;
import dev.orchestra.exec.OutputStream;

/**
 * Reads one attempt's process output as it arrives (e.g. a CLI's JSON event stream) and, at the
 * end, tells what the attempt produced. One instance per attempt; {@link #onLine} may be called
 * from two threads (stdout and stderr), so implementations synchronise their state.
 */
public interface AgentOutputReader {

  void onLine(OutputStream stream, String line, AgentSink sink);

  /** Called once after the process ended and all its output was delivered. */
  AgentResult finish(ExitStatus exit);
}
