package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.store.DecisionWatch;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories of some nodes of a run for their {@code approval.json} ({@link
 * DecisionFiles}) and reports each node once, on a daemon thread of its own.
 *
 * <p>It waits on a {@link WatchService} (inotify on Linux), so a decision made by another process
 * is seen at once, without polling. Every {@value #SWEEP_SECONDS} seconds without a notification,
 * and after the watch service reports lost notifications ({@code OVERFLOW}), it looks at the files
 * anyway: the OS does not notify about files other machines write on a network file system (NFS, a
 * shared Jenkins workspace), and on platforms where the JDK's watch service polls on its own
 * (macOS) notifications come late. A sweep costs one {@code stat} per watched node that has no
 * decision yet. It also sweeps once at the start, so a decision recorded while the watch was being
 * set up is not missed.
 */
final class DecisionWatcher implements DecisionWatch {
  private static final Logger LOG = LoggerFactory.getLogger(DecisionWatcher.class);

  /** The longest a decision goes unseen where the OS sends no notification for it. */
  static final long SWEEP_SECONDS = 10;

  private final String runId;
  private final WatchService service;
  private final Map<WatchKey, String> keys = new HashMap<>();
  private final Map<String, Path> files = new LinkedHashMap<>();
  private final Set<String> reported = new HashSet<>();
  private final Consumer<String> listener;
  private volatile boolean closed;

  /**
   * Starts watching.
   *
   * @param nodeDirs each watched node's id and directory (created when missing)
   */
  DecisionWatcher(String runId, Map<String, Path> nodeDirs, Consumer<String> listener)
      throws IOException {
    this.runId = runId;
    this.listener = listener;
    this.service = FileSystems.getDefault().newWatchService();
    try {
      for (Map.Entry<String, Path> e : nodeDirs.entrySet()) {
        Files.createDirectories(e.getValue());
        keys.put(e.getValue().register(service, StandardWatchEventKinds.ENTRY_CREATE), e.getKey());
        files.put(e.getKey(), e.getValue().resolve(DecisionFiles.FILE));
      }
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    Thread t = new Thread(this::watch, "orchestra-decisions-" + runId);
    t.setDaemon(true);
    t.start();
  }

  private void watch() {
    try {
      sweep(files.keySet());
      while (!closed) {
        WatchKey key = service.poll(SWEEP_SECONDS, TimeUnit.SECONDS);
        if (key == null) {
          sweep(files.keySet());
          continue;
        }
        Set<String> touched = new HashSet<>();
        for (; key != null; key = service.poll()) {
          String node = keys.get(key);
          for (WatchEvent<?> e : key.pollEvents()) {
            if (e.kind() == StandardWatchEventKinds.OVERFLOW) {
              touched.addAll(files.keySet());
            } else if (e.context() instanceof Path p
                && p.getFileName().toString().equals(DecisionFiles.FILE)) {
              touched.add(node);
            }
          }
          key.reset();
        }
        sweep(touched);
      }
    } catch (ClosedWatchServiceException e) {
      // Closed: the run no longer waits for decisions.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reports the nodes among {@code nodes} whose decision file exists and was not reported. */
  private void sweep(Set<String> nodes) {
    for (String node : nodes) {
      if (!reported.contains(node) && Files.exists(files.get(node)) && !closed) {
        reported.add(node);
        try {
          listener.accept(node);
        } catch (RuntimeException e) {
          LOG.warn("run {}: taking up the decision on node {} failed", runId, node, e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      service.close();
    } catch (IOException e) {
      throw new OrchestraException("cannot stop watching run " + runId + " for decisions", e);
    }
  }
}
