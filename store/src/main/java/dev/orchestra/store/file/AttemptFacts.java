package dev.orchestra.store.file;

import dev.orchestra.event.Usage;
import dev.orchestra.exec.ProcessGroup;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code attempts.jsonl}: the small facts of every attempt of a run, one JSON object per line, so
 * that an attempt that has no prompt, output or check to keep costs no file or directory of its
 * own. A line names its node and attempt and holds either a process group the attempt started
 * ({@code process}, written as soon as it started: a resume after a crash ends it) or the attempt's
 * end ({@code usage}, when it spent anything). Each line is one {@code write(2)} in append mode, so
 * a crash tears at most the last line, which readers skip and the next writer cuts off.
 *
 * <p>A run's recorder writes {@code RUN_DIR/attempts.jsonl}; the process of a planned run's node
 * writes {@code nodes/NODE/attempts.jsonl} (each node's records are a disjoint set of files, which
 * a pipeline stashes and brings back together). Records written before this file existed keep the
 * same facts in {@code nodes/NODE/ATTEMPT/processes.jsonl} and {@code usage.json}, which readers
 * still read.
 */
final class AttemptFacts {
  static final String FILE = "attempts.jsonl";

  /** What the lines of one file say about one attempt. */
  record Facts(List<ProcessGroup> processes, Usage usage) {
    static final Facts NONE = new Facts(List.of(), null);

    Facts plus(Facts more) {
      List<ProcessGroup> all = new ArrayList<>(processes);
      all.addAll(more.processes);
      return new Facts(List.copyOf(all), more.usage != null ? more.usage : usage);
    }
  }

  /** Writes the facts of one recorder's attempts into one file. Thread-safe. */
  static final class Writer implements AutoCloseable {
    private final Path file;
    private FileOutputStream out;
    private boolean closed;

    Writer(Path file) {
      this.file = file;
    }

    Path file() {
      return file;
    }

    void process(String node, int attempt, ProcessGroup group) throws IOException {
      write(RecordsJson.attemptProcess(node, attempt, group));
    }

    void ended(String node, int attempt, Usage usage) throws IOException {
      write(RecordsJson.attemptEnded(node, attempt, usage));
    }

    private synchronized void write(String line) throws IOException {
      if (closed) {
        throw new IOException(file + " is closed: the run is no longer recorded here");
      }
      if (out == null) {
        // Opened on the first fact: a run whose attempts started no process has no such file.
        // A line torn by a crashed earlier session would swallow the first new one.
        FileRunStore.dropTornTail(file);
        out = new FileOutputStream(file.toFile(), true);
      }
      out.write(line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void close() throws IOException {
      closed = true;
      if (out != null) {
        out.close();
      }
    }
  }

  /**
   * Reads files once and answers again from memory while a file keeps its size and modification
   * time: {@code runs show} and {@code report} ask for every node's attempts in turn. Keeps the
   * last few files only. Thread-safe.
   */
  static final class Reader {
    private static final int KEPT = 8;

    private final Map<Path, Parsed> cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Path, Parsed> eldest) {
            return size() > KEPT;
          }
        };

    /** The facts of {@code node}'s attempts in {@code file} by attempt number; empty without it. */
    Map<Integer, Facts> of(Path file, String node) throws IOException {
      Parsed parsed = parsed(file);
      Map<Integer, Facts> facts = parsed == null ? null : parsed.byNode.get(node);
      return facts == null ? Map.of() : facts;
    }

    private synchronized Parsed parsed(Path file) throws IOException {
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        cache.remove(file);
        return null;
      }
      Parsed known = cache.get(file);
      long modified = attrs.lastModifiedTime().toMillis();
      if (known != null && known.size == attrs.size() && known.modified == modified) {
        return known;
      }
      Parsed parsed =
          new Parsed(attrs.size(), modified, parse(Files.readString(file, StandardCharsets.UTF_8)));
      cache.put(file, parsed);
      return parsed;
    }

    private static Map<String, Map<Integer, Facts>> parse(String text) {
      Map<String, Map<Integer, Facts>> byNode = new HashMap<>();
      int from = 0;
      while (from < text.length()) {
        int nl = text.indexOf('\n', from);
        if (nl < 0) {
          break; // torn by a crash mid-write: not a fact
        }
        RecordsJson.AttemptFact fact = RecordsJson.attemptFact(text.substring(from, nl));
        from = nl + 1;
        if (fact != null) {
          byNode
              .computeIfAbsent(fact.node(), k -> new TreeMap<>())
              .merge(fact.attempt(), fact.facts(), Facts::plus);
        }
      }
      return byNode;
    }

    private record Parsed(long size, long modified, Map<String, Map<Integer, Facts>> byNode) {}
  }
}
