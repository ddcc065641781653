package dev.orchestra.engine;

import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Holds a process's output lines back until {@link #open()}: the engine records a process's group
 * just after the process started, and a line delivered before that record is durable could become
 * an event that a crash follows, leaving a group on the loose that no resume knows of. The readers
 * wait (the pipe buffers what the process writes meanwhile); the record takes milliseconds.
 * Thread-safe.
 */
final class OutputGate implements OutputListener {
  private final OutputListener next;
  private final CountDownLatch open = new CountDownLatch(1);

  OutputGate(OutputListener next) {
    this.next = next;
  }

  /** Lets lines through from now on. Idempotent. */
  void open() {
    open.countDown();
  }

  @Override
  public void onLine(OutputStream stream, String line) {
    boolean interrupted = false;
    while (true) {
      try {
        open.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    next.onLine(stream, line);
  }
}
