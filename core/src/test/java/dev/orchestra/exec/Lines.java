package dev.orchestra.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Collects a process's output lines per stream; lets a test await a number of stdout lines. */
final class Lines implements OutputListener {
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final CountDownLatch firstOut;

  Lines() {
    this(0);
  }

  /** Counts down once {@code expectedOut} stdout lines have arrived. */
  Lines(int expectedOut) {
    firstOut = new CountDownLatch(expectedOut);
  }

  @Override
  public synchronized void onLine(OutputStream stream, String line) {
    if (stream == OutputStream.STDOUT) {
      out.add(line);
      firstOut.countDown();
    } else {
      err.add(line);
    }
  }

  synchronized List<String> out() {
    return List.copyOf(out);
  }

  synchronized List<String> err() {
    return List.copyOf(err);
  }

  /** Waits for the expected stdout lines; fails the test after 10 s. */
  List<String> awaitOut() throws InterruptedException {
    if (!firstOut.await(10, TimeUnit.SECONDS)) {
      throw new AssertionError("expected stdout lines did not arrive; got " + out() + err());
    }
    return out();
  }
}
