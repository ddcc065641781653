package dev.orchestra.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProcFsTest {
  @Test
  void tellsThisJvmsThreadsFromProcessesAndGonePids() throws Exception {
    assumeTrue(ProcFs.AVAILABLE, "needs Linux /proc");
    CountDownLatch release = new CountDownLatch(1);
    Thread parked =
        new Thread(
            () -> {
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    parked.start();
    Process child = new ProcessBuilder("sleep", "1000").start();
    try {
      String[] tids = new File("/proc/self/task").list();
      assertThat(tids).hasSizeGreaterThan(1);
      long self = ProcessHandle.current().pid();
      for (String tid : tids) {
        long id = Long.parseLong(tid);
        // The same answer as the reads the sweep made before: a thread is no process.
        assertThat(ProcFs.isOwnThread(id)).as("tid %s", tid).isEqualTo(id != self);
        assertThat(ProcFs.isProcess(id)).as("tid %s", tid).isEqualTo(id == self);
      }
      assertThat(ProcFs.isOwnThread(self)).isFalse();
      assertThat(ProcFs.isOwnThread(child.pid())).isFalse();
      assertThat(ProcFs.isProcess(child.pid())).isTrue();
    } finally {
      release.countDown();
      child.destroyForcibly().waitFor();
      parked.join();
    }
    assertThat(ProcFs.isOwnThread(child.pid())).isFalse();
  }
}
