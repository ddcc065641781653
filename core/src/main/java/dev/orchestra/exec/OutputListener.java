package dev.orchestra.exec;

/**
 * Receives a process's output as it arrives, one line at a time (without the line break). Called
 * from the executor's reader threads: stdout and stderr may be delivered concurrently.
 */
@FunctionalInterface
public interface OutputListener {
  void onLine(OutputStream stream, String line);
}
