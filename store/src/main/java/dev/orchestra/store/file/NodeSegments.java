package dev.orchestra.store.file;

import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The events of a planned run's nodes, each in its own file {@code nodes/NODE/events.jsonl}, so
 * that the processes running the nodes (one each, maybe in other copies of the runs directory)
 * never write the same file. Readers see the run's own events and the nodes' merged: in time order,
 * each file in its own order (a k-way merge, so a node's events never change order even when clocks
 * disagree), the run's own first on a tie, numbered from 1. An event of a node that the run's own
 * events hold already (folded in before, then brought back by an unstash) counts once.
 *
 * <p>{@link #fold} writes the merge as the run's own events and removes the node files, under the
 * run's exclusive lock. A crash between the two leaves node files whose events the run's own hold:
 * the rule above keeps them from counting twice. Stateless.
 */
final class NodeSegments {
  /** A node's events, under {@code nodes/NODE/}. */
  static final String EVENTS = FileRunStore.EVENTS;

  private NodeSegments() {}

  /** The node event files of the run in {@code runDir}, by directory name. */
  static List<Path> files(Path runDir) throws IOException {
    Path nodes = runDir.resolve(FileRunStore.NODES);
    if (!Files.isDirectory(nodes)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(nodes)) {
      return dirs.map(d -> d.resolve(EVENTS)).filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** {@code own} (the run's events.jsonl) with the nodes' events of {@code runDir} merged in. */
  static List<RecordedEvent> merged(Path runDir, List<RecordedEvent> own) throws IOException {
    List<Path> files = files(runDir);
    if (files.isEmpty()) {
      return own;
    }
    Set<String> known = new HashSet<>();
    for (RecordedEvent e : own) {
      known.add(identity(e));
    }
    List<List<RecordedEvent>> parts = new ArrayList<>();
    parts.add(own);
    for (Path f : files) {
      List<RecordedEvent> fresh = new ArrayList<>();
      for (RecordedEvent e : FileRunStore.readEvents(f, 0)) {
        if (!known.contains(identity(e))) {
          fresh.add(e);
        }
      }
      parts.add(fresh);
    }
    return numbered(parts);
  }

  /**
   * Writes {@code merged} as the run's events (atomically) and removes the node files. Call while
   * holding the run's exclusive lock, so that no node process writes one meanwhile.
   */
  static void fold(Path runDir, List<RecordedEvent> merged) throws IOException {
    List<Path> files = files(runDir);
    if (files.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (RecordedEvent e : merged) {
      text.append(EventJson.encode(e)).append('\n');
    }
    AtomicFiles.write(runDir.resolve(FileRunStore.EVENTS), text.toString());
    for (Path f : files) {
      Files.deleteIfExists(f);
    }
  }

  /** The event without its number: what makes two copies of one event the same. */
  private static String identity(RecordedEvent e) {
    return EventJson.encode(new RecordedEvent(0, e.time(), e.run(), e.event()));
  }

  /** The k-way merge of {@code parts} by time, ties to the earlier part, numbered from 1. */
  private static List<RecordedEvent> numbered(List<List<RecordedEvent>> parts) {
    record Head(int part, int index, RecordedEvent event) {}
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            (a, b) -> {
              int byTime = a.event().time().compareTo(b.event().time());
              return byTime != 0 ? byTime : Integer.compare(a.part(), b.part());
            });
    int total = 0;
    for (int p = 0; p < parts.size(); p++) {
      total += parts.get(p).size();
      if (!parts.get(p).isEmpty()) {
        heads.add(new Head(p, 0, parts.get(p).get(0)));
      }
    }
    List<RecordedEvent> out = new ArrayList<>(total);
    while (!heads.isEmpty()) {
      Head h = heads.poll();
      RecordedEvent e = h.event();
      out.add(new RecordedEvent(out.size() + 1L, e.time(), e.run(), e.event()));
      List<RecordedEvent> part = parts.get(h.part());
      if (h.index() + 1 < part.size()) {
        heads.add(new Head(h.part(), h.index() + 1, part.get(h.index() + 1)));
      }
    }
    return out;
  }
}
