package dev.orchestra.store.memory;

import dev.orchestra.OrchestraException;
import dev.orchestra.check.CheckResult;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.event.Usage;
import dev.orchestra.exec.OutputStream;
import dev.orchestra.exec.ProcessGroup;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.AttemptRecorder;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.SeqGuard;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Run records held in this JVM's memory: for runs nobody needs to resume or read after the process
 * ends (an ephemeral run, a dry run, a server's preview) and for the tests of the engine and of
 * adapters that need a store but not its files. Nothing survives the JVM, so a resume works only
 * within the same process. Each attempt still gets a real directory for its working files (the
 * agent's prompt, feedback and output files), under {@code SCRATCH/RUN_ID/nodes/NODE/ATTEMPT}; the
 * caller owns the scratch directory and deletes it.
 *
 * <p>A run is locked by the recorder {@link #create} or {@link #reopen} returns until it is closed;
 * the lock is per store object, as there is no other process that could share it. Decisions are
 * reported to {@link #watchDecisions} watches at once, on the thread that called {@link #decide},
 * after the store's lock is released.
 *
 * <p>Thread-safe. Reads return copies: a run being recorded is seen as a prefix of its events.
 * Memory grows with every output line of every run; a long-lived process should use one store per
 * run or a durable store.
 */
public final class MemoryRunStore implements RunStore {
  private final Path scratch;
  private final Map<String, Run> runs = new LinkedHashMap<>();
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  private MemoryRunStore(Path scratch) {
    this.scratch = scratch.toAbsolutePath().normalize();
  }

  /** A store whose attempts work in directories under {@code scratch} (created on demand). */
  public static MemoryRunStore withScratch(Path scratch) {
    return new MemoryRunStore(scratch);
  }

  /**
   * The directory under which run {@code runId}'s attempts have their working directories (it may
   * not exist).
   */
  public Path runDirectory(String runId) {
    checkId(runId);
    return scratch.resolve(runId);
  }

  /** The working directory of one attempt, as {@link AttemptRecorder#directory()} returns it. */
  public Path attemptDirectory(String runId, String node, int attempt) {
    // Node ids are identifiers, with '/' for composed ones; encoding keeps any other id inside too.
    String name = URLEncoder.encode(node, StandardCharsets.UTF_8).replace(".", "%2E");
    return runDirectory(runId).resolve("nodes").resolve(name).resolve(Integer.toString(attempt));
  }

  @Override
  public synchronized RunRecorder create(RunInfo info) {
    checkId(info.id());
    if (runs.containsKey(info.id())) {
      throw new OrchestraException("run " + info.id() + " already exists; use a new run id");
    }
    Run run = new Run(info);
    runs.put(info.id(), run);
    return lock(run);
  }

  @Override
  public synchronized RunRecorder reopen(String runId) {
    return lock(existing(runId));
  }

  private RunRecorder lock(Run run) {
    if (run.recorder != null) {
      throw new OrchestraException(
          "run "
              + run.info.id()
              + " is being recorded already; wait for that run to end or cancel it, then try"
              + " again");
    }
    run.recorder = new Recorder(run, new SeqGuard(run.info.id(), run.events.size()));
    return run.recorder;
  }

  @Override
  public synchronized List<RunSummary> list() {
    List<RunSummary> summaries = summaries();
    summaries.sort(RunSummary.NEWEST_FIRST);
    return summaries;
  }

  /** {@inheritDoc} Costs O(n log n) for n runs in the store. */
  @Override
  public synchronized RunPage list(RunQuery query) {
    return query.select(summaries());
  }

  private List<RunSummary> summaries() {
    List<RunSummary> summaries = new ArrayList<>();
    for (Run run : runs.values()) {
      summaries.add(
          new RunSummary(
              run.info.id(),
              run.info.workflow(),
              run.info.started(),
              run.result == null ? null : run.result.status(),
              run.recorder != null));
    }
    return summaries;
  }

  @Override
  public synchronized boolean delete(String runId) {
    Run run = runs.get(runId);
    if (run == null) {
      return false;
    }
    if (run.recorder != null) {
      throw new OrchestraException(
          "run " + runId + " is being recorded; cancel it and wait for it to end, then delete it");
    }
    runs.remove(runId);
    return true;
  }

  @Override
  public synchronized Optional<RunInfo> find(String runId) {
    Run run = runs.get(runId);
    return run == null ? Optional.empty() : Optional.of(run.info);
  }

  @Override
  public synchronized List<RecordedEvent> events(String runId) {
    return List.copyOf(existing(runId).events);
  }

  /** {@inheritDoc} Costs O(log n + k) for n events of the run and k returned. */
  @Override
  public synchronized List<RecordedEvent> events(String runId, long afterSeq) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
    }
    List<RecordedEvent> events = existing(runId).events;
    // Numbered 1, 2, … without gaps (SeqGuard): event n is at index n - 1.
    int from = (int) Math.min(afterSeq, events.size());
    return List.copyOf(events.subList(from, events.size()));
  }

  @Override
  public synchronized Optional<RunResult> result(String runId) {
    return Optional.ofNullable(existing(runId).result);
  }

  @Override
  public synchronized List<AttemptRecord> attempts(String runId, String node) {
    Map<Integer, Attempt> attempts = existing(runId).attempts.get(node);
    if (attempts == null) {
      return List.of();
    }
    List<AttemptRecord> records = new ArrayList<>();
    attempts.values().forEach(a -> records.add(a.record()));
    return records;
  }

  @Override
  public Decision decide(String runId, String node, Decision decision) {
    Decision onRecord;
    synchronized (this) {
      onRecord = existing(runId).decisions.putIfAbsent(node, decision);
    }
    if (onRecord != null) {
      return onRecord;
    }
    for (Watch w : watches) {
      if (w.runId.equals(runId) && w.nodes.contains(node)) {
        w.listener.accept(node);
      }
    }
    return decision;
  }

  @Override
  public synchronized Map<String, Decision> decisions(String runId) {
    return Map.copyOf(existing(runId).decisions);
  }

  @Override
  public DecisionWatch watchDecisions(
      String runId, Collection<String> nodes, Consumer<String> listener) {
    synchronized (this) {
      existing(runId);
    }
    Watch w = new Watch(runId, Set.copyOf(nodes), listener);
    watches.add(w);
    return () -> watches.remove(w);
  }

  /** A {@link #watchDecisions} registration; identity matters, not its fields. */
  private static final class Watch {
    final String runId;
    final Set<String> nodes;
    final Consumer<String> listener;

    Watch(String runId, Set<String> nodes, Consumer<String> listener) {
      this.runId = runId;
      this.nodes = nodes;
      this.listener = listener;
    }
  }

  private Run existing(String runId) {
    Run run = runs.get(runId);
    if (run == null) {
      throw new OrchestraException(
          "no run '" + runId + "' in this process's memory; runs in memory end with the process");
    }
    return run;
  }

  private static void checkId(String runId) {
    if (!RunIds.isValid(runId)) {
      throw new OrchestraException(
          "'" + runId + "' is not a run id; run ids look like 20261123-221530-3fa2");
    }
  }

  /** One run's records. Guarded by the store's lock. */
  private static final class Run {
    final RunInfo info;
    final List<RecordedEvent> events = new ArrayList<>();
    final Map<String, Map<Integer, Attempt>> attempts = new LinkedHashMap<>();
    final Map<String, Decision> decisions = new HashMap<>();
    RunResult result;
    Recorder recorder;

    Run(RunInfo info) {
      this.info = info;
    }
  }

  private final class Recorder implements RunRecorder {
    private final Run run;
    private final SeqGuard seq;
    private boolean closed;

    Recorder(Run run, SeqGuard seq) {
      this.run = run;
      this.seq = seq;
    }

    @Override
    public String runId() {
      return run.info.id();
    }

    @Override
    public void append(RecordedEvent event) {
      synchronized (MemoryRunStore.this) {
        if (closed) {
          throw new OrchestraException(
              "run "
                  + runId()
                  + " is no longer being recorded; cannot append event "
                  + event.seq());
        }
        seq.check(event.seq());
        run.events.add(event);
        seq.accept(event.seq());
      }
    }

    @Override
    public AttemptRecorder attempt(String node, int number) {
      Path dir = attemptDirectory(runId(), node, number);
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new OrchestraException(
            "cannot create the attempt directory "
                + dir
                + ": "
                + e
                + "; check free space and permissions",
            e);
      }
      synchronized (MemoryRunStore.this) {
        return run.attempts
            .computeIfAbsent(node, n -> new TreeMap<>())
            .computeIfAbsent(number, n -> new Attempt(node, n, dir));
      }
    }

    @Override
    public void finish(RunResult result) {
      synchronized (MemoryRunStore.this) {
        run.result = result;
      }
    }

    @Override
    public void close() {
      synchronized (MemoryRunStore.this) {
        if (!closed) {
          closed = true;
          run.recorder = null;
        }
      }
    }
  }

  /**
   * One attempt's records, written through the {@link AttemptRecorder} view. Guarded by the store's
   * lock. Empty parts read as the file store's do: no output, no lines, no usage are {@code null}.
   */
  private final class Attempt implements AttemptRecorder {
    private final String node;
    private final int number;
    private final Path dir;
    private final Map<Integer, CheckResult> checks = new TreeMap<>();
    private final List<ProcessGroup> processes = new ArrayList<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private String prompt;
    private String output;
    private Map<String, String> outputs;
    private Usage usage;

    Attempt(String node, int number, Path dir) {
      this.node = node;
      this.number = number;
      this.dir = dir;
    }

    AttemptRecord record() {
      return new AttemptRecord(
          node,
          number,
          prompt,
          stdout.length() == 0 ? null : stdout.toString(),
          stderr.length() == 0 ? null : stderr.toString(),
          List.copyOf(checks.values()),
          output == null || output.isEmpty() ? null : output,
          outputs,
          processes,
          usage);
    }

    @Override
    public Path directory() {
      return dir;
    }

    @Override
    public void prompt(String prompt) {
      synchronized (MemoryRunStore.this) {
        this.prompt = prompt;
      }
    }

    @Override
    public void line(OutputStream stream, String line) {
      synchronized (MemoryRunStore.this) {
        (stream == OutputStream.STDERR ? stderr : stdout).append(line).append('\n');
      }
    }

    @Override
    public void check(int index, CheckResult result) {
      synchronized (MemoryRunStore.this) {
        checks.put(index, result);
      }
    }

    @Override
    public void output(String output) {
      synchronized (MemoryRunStore.this) {
        this.output = output;
      }
    }

    @Override
    public void usage(Usage usage) {
      synchronized (MemoryRunStore.this) {
        this.usage = usage;
      }
    }

    @Override
    public void outputs(Map<String, String> outputs) {
      synchronized (MemoryRunStore.this) {
        this.outputs = new LinkedHashMap<>(outputs);
      }
    }

    @Override
    public void process(ProcessGroup group) {
      synchronized (MemoryRunStore.this) {
        processes.add(group);
      }
    }

    @Override
    public void close() {
      // Nothing is buffered: every record is in memory as soon as it is written.
    }
  }
}
