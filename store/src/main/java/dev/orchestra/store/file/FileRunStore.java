package dev.orchestra.store.file;

import dev.orchestra.OrchestraException;
import dev.orchestra.event.EventJson;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunPlanJson;
import dev.orchestra.store.AttemptRecord;
import dev.orchestra.store.Decision;
import dev.orchestra.store.DecisionWatch;
import dev.orchestra.store.PlannedRunStore;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunPage;
import dev.orchestra.store.RunQuery;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunSummary;
import dev.orchestra.store.SeqGuard;
import dev.orchestra.store.StoredPlan;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run records in a directory, one sub-directory per run:
 *
 * <pre>
 * RUNS_DIR/RUN_ID/
 *   run.json         id, workflow name and file, inputs, start time (written atomically)
 *   workflow.yaml    the workflow file's exact text
 *   run-plan.json    what views take from the workflow: nodes in order, containers ({@link
 *                    RunPlanJson}); absent in records of before plans were recorded; read when
 *                    a found run's plan is first asked for ({@link StoredPlan}), not by find
 *   events.jsonl     one JSON event per line (see {@link EventJson})
 *   lock             held (an OS file lock) by the process recording the run
 *   attempts.jsonl   each attempt's process groups (pgid, start time, tag) and end (usage)
 *   nodes/NODE/ATTEMPT/  prompt.txt, stdout.log, stderr.log, checks/N.json, output.txt, outputs.json,
 *                        each only when it has something to hold (a trivial attempt has none)
 *   nodes/NODE/approval.json  the decision on the node's approval gate (see {@link DecisionFiles})
 *   result.json      the run's result (written atomically at the end)
 *   summary.json     what a listing shows of it (written atomically after result.json; removed
 *                    when the run is reopened, so it never disagrees with the result)
 * </pre>
 *
 * A run planned for a pipeline ({@link PlannedRunStore}) also has {@code plan/files.json} (the
 * files its workflow reads besides itself), and while its nodes run, each top-level node's events
 * in {@code nodes/NODE/events.jsonl}, its attempts' facts in {@code nodes/NODE/attempts.jsonl} and
 * its lock in {@code nodes/NODE/lock}; a node's process also holds the run's {@code lock} shared.
 * Readers see those events merged into the run's ({@link NodeSegments}); {@link #reopen} folds them
 * into {@code events.jsonl}.
 *
 * <p>Node ids of composed workflows ({@code outer/inner}) become {@code outer.inner}.
 *
 * <p><b>Durability.</b> Every event is written to the operating system with one {@code write(2)} as
 * it happens, so a crash or {@code kill -9} of this process loses at most the event being written
 * (a torn last line, which readers skip). Forcing to disk ({@code fsync}) happens at the end of a
 * run, and, with {@link Durability#MACHINE_CRASH}, after every {@code node_finished} event, so that
 * a power loss never forgets a finished node. The default is {@link Durability#PROCESS_CRASH}:
 * after a machine crash the last moments of a run may be lost, and the nodes that finished in them
 * run again on resume. Measured on a loaded 2-core machine, 1,000 trivial nodes cost about 1 s of
 * engine and record keeping without {@code fsync} and about 3 s with one per {@code node_finished},
 * which is why the per-node {@code fsync} is opt-in.
 *
 * <p>Decisions on approval gates are written by any process, with or without the run's lock, once
 * per node and atomically, and forced to disk ({@link DecisionFiles}); the process running the run
 * sees them at once through the OS's file notifications ({@link DecisionWatcher}, which looks again
 * every {@value DecisionWatcher#SWEEP_SECONDS} s for file systems that send none).
 *
 * <p>Thread-safe. The lock is an OS lock ({@link FileChannel#tryLock()}), which the OS releases
 * when the process dies, so a {@code kill -9} never leaves a stale lock.
 */
public final class FileRunStore implements PlannedRunStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileRunStore.class);

  /** The runs directory under a base directory: {@code .orchestra/runs}. */
  public static final String RUNS = ".orchestra/runs";

  static final String EVENTS = "events.jsonl";
  static final String WORKFLOW = "workflow.yaml";
  static final String RUN = "run.json";
  static final String RUN_PLAN = "run-plan.json";
  static final String RESULT = "result.json";
  static final String SUMMARY = "summary.json";
  static final String LOCK = "lock";
  static final String NODES = "nodes";
  static final String PROMPT = "prompt.txt";
  static final String STDOUT = "stdout.log";
  static final String STDERR = "stderr.log";
  static final String CHECKS = "checks";
  static final String OUTPUT = "output.txt";
  static final String OUTPUTS = "outputs.json";

  /** Older records only: the facts {@link AttemptFacts} keeps now. */
  static final String PROCESSES = "processes.jsonl";

  /** Older records only, as {@link #PROCESSES}. */
  static final String USAGE = "usage.json";

  static final String PLAN_FILES = "plan/files.json";

  /** When events are forced to disk; see the class comment. */
  public enum Durability {
    /** {@code fsync} at the end of the run only. */
    PROCESS_CRASH,
    /** Also {@code fsync} after every {@code node_finished} event. */
    MACHINE_CRASH
  }

  private final Path runsDir;
  private final Durability durability;
  private final AttemptFacts.Reader facts = new AttemptFacts.Reader();

  private FileRunStore(Path runsDir, Durability durability) {
    this.runsDir = runsDir.toAbsolutePath().normalize();
    this.durability = durability;
  }

  /** The store in {@code base/.orchestra/runs} (the CLI passes the current directory). */
  public static FileRunStore under(Path base) {
    return new FileRunStore(base.resolve(RUNS), Durability.PROCESS_CRASH);
  }

  /** The store in {@code runsDir} itself (for {@code --runs-dir} and {@code ORCHESTRA_RUNS}). */
  public static FileRunStore at(Path runsDir) {
    return new FileRunStore(runsDir, Durability.PROCESS_CRASH);
  }

  /** This store with another durability. */
  public FileRunStore with(Durability durability) {
    return new FileRunStore(runsDir, durability);
  }

  /** The directory holding the runs. */
  public Path directory() {
    return runsDir;
  }

  /** The directory of one run (which may not exist). */
  public Path runDirectory(String runId) {
    checkId(runId);
    return runsDir.resolve(runId);
  }

  @Override
  public RunRecorder create(RunInfo info) {
    Path dir = runDirectory(info.id());
    // First: a plan found in another store is read from there, and may fail to be.
    RunPlan plan = info.plan();
    try {
      Files.createDirectories(runsDir);
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new OrchestraException(
          "run " + info.id() + " already exists in " + runsDir + "; use a new run id", e);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot create run directory " + dir + ": " + e + "; check permissions", e);
    }
    RunRecorder recorder = lock(info.id(), dir, () -> 0);
    try {
      AtomicFiles.writePlain(dir.resolve(WORKFLOW), info.workflowText());
      if (plan != null) {
        // Before run.json: a run found is a run whose plan, if it has one, is complete.
        AtomicFiles.writePlain(dir.resolve(RUN_PLAN), RunPlanJson.encode(plan) + "\n");
      }
      AtomicFiles.write(dir.resolve(RUN), RecordsJson.runInfo(info));
    } catch (IOException e) {
      recorder.close();
      throw new OrchestraException("cannot write the records of run " + info.id() + ": " + e, e);
    }
    return recorder;
  }

  @Override
  public RunRecorder reopen(String runId) {
    Path dir = existing(runId);
    // Under the lock (the repair, the fold and the last number must not race another process's
    // appends) and before the recorder opens events.jsonl, which folding replaces.
    return lock(
        runId,
        dir,
        () -> {
          try {
            // The run is going on again: its summary would outlive the result it summed up.
            Files.deleteIfExists(dir.resolve(SUMMARY));
            dropTornTail(dir.resolve(EVENTS));
            List<RecordedEvent> events = events(runId);
            NodeSegments.fold(dir, events);
            return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
          } catch (IOException e) {
            throw new OrchestraException("cannot reopen the records in " + dir + ": " + e, e);
          }
        });
  }

  @Override
  public void planFiles(String runId, Map<String, String> files) {
    Path file = existing(runId).resolve(PLAN_FILES);
    try {
      Files.createDirectories(file.getParent());
      AtomicFiles.write(file, RecordsJson.strings(files));
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e + "; check free space and permissions", e);
    }
  }

  @Override
  public boolean planned(String runId) {
    return Files.isRegularFile(existing(runId).resolve(PLAN_FILES));
  }

  @Override
  public Map<String, String> planFiles(String runId) {
    Path file = existing(runId).resolve(PLAN_FILES);
    try {
      return RecordsJson.strings(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Takes the run's {@code lock} shared and {@code nodes/NODE/lock} exclusively (OS locks that
   * die with the process); the node's events go to {@code nodes/NODE/events.jsonl}, whose torn last
   * line (a killed earlier process) is dropped first.
   */
  @Override
  public RunRecorder recordNode(String runId, String node) {
    Path dir = existing(runId);
    Path nodeDir = nodeDirectory(dir, node);
    SharedRunLock shared;
    try {
      Files.createDirectories(nodeDir);
      shared = SharedRunLock.take(dir.resolve(LOCK));
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot lock run " + runId + " (" + dir.resolve(LOCK) + "): " + e, e);
    }
    if (shared == null) {
      throw new OrchestraException(
          "run "
              + runId
              + " is in use by another process (it holds "
              + dir.resolve(LOCK)
              + "): it is being run, resumed or finished; wait for that process to end");
    }
    Path lockFile = nodeDir.resolve(LOCK);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        throw new OrchestraException(
            "node '"
                + node
                + "' of run "
                + runId
                + " is being run by another process (it holds "
                + lockFile
                + "); wait for it to end, or end it");
      }
      Path events = nodeDir.resolve(NodeSegments.EVENTS);
      dropTornTail(events);
      FileChannel held = channel;
      return new FileRunRecorder(
          runId,
          dir,
          events,
          node,
          durability,
          SeqGuard.provisional(runId),
          () -> {
            release(held, lock);
            shared.close();
          });
    } catch (IOException e) {
      closeQuietly(channel);
      shared.close();
      throw new OrchestraException("cannot lock node '" + node + "' (" + lockFile + "): " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      shared.close();
      throw e;
    }
  }

  /**
   * Locks the run, runs {@code locked} while holding the lock, then opens the recorder, which
   * numbers the next event after the number {@code locked} answers (the last one on record).
   */
  private RunRecorder lock(String runId, Path dir, LongSupplier locked) {
    Path lockFile = dir.resolve(LOCK);
    FileChannel channel = null;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        throw new OrchestraException(
            "run "
                + runId
                + " is in use by another process (it holds "
                + lockFile
                + "); wait for that process to end or cancel it, then try again");
      }
      try {
        long lastSeq = locked.getAsLong();
        return new FileRunRecorder(runId, dir, durability, channel, lock, lastSeq);
      } catch (RuntimeException | IOException e) {
        release(channel, lock);
        throw e;
      }
    } catch (IOException e) {
      closeQuietly(channel);
      throw new OrchestraException("cannot lock run " + runId + " (" + lockFile + "): " + e, e);
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // This JVM holds the lock already: the run is in use here.
      return null;
    }
  }

  static void release(FileChannel channel, FileLock lock) {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.warn("cannot release run lock: {}", e.toString());
    } finally {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a lock file failed: {}", e.toString());
    }
  }

  /** Cuts a last line that has no line break: the process died while writing it. */
  static void dropTornTail(Path events) throws IOException {
    if (!Files.exists(events)) {
      return;
    }
    try (FileChannel ch =
        FileChannel.open(events, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        return;
      }
      // Scan back from the end in blocks to the last line break.
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
      long end = size;
      while (end > 0) {
        long start = Math.max(0, end - buf.capacity());
        buf.clear().limit((int) (end - start));
        ch.read(buf, start);
        for (int i = (int) (end - start) - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            long keep = start + i + 1;
            if (keep < size) {
              LOG.warn("dropping a torn last event ({} bytes) from {}", size - keep, events);
              ch.truncate(keep);
            }
            return;
          }
        }
        end = start;
      }
      ch.truncate(0);
    }
  }

  @Override
  public List<RunSummary> list() {
    return listing().stream().map(RunListing::summary).toList();
  }

  /**
   * {@inheritDoc} The file store keeps no index: a page costs reading every run's {@code
   * summary.json} (else its {@code run.json} and {@code result.json}) and testing its lock, a few
   * milliseconds per hundred runs.
   */
  @Override
  public RunPage list(RunQuery query) {
    return query.select(new ArrayList<>(listings().stream().map(RunListing::summary).toList()));
  }

  /**
   * Every run with the totals of its result, newest first ({@link RunSummary#NEWEST_FIRST}). A
   * finished run costs one small file, its {@code summary.json}; one without (still running,
   * interrupted, or recorded before summaries were written) costs its {@code run.json} and {@code
   * result.json}, and lists the same.
   */
  public List<RunListing> listing() {
    List<RunListing> runs = listings();
    runs.sort(Comparator.comparing(RunListing::summary, RunSummary.NEWEST_FIRST));
    return runs;
  }

  private List<RunListing> listings() {
    List<RunListing> runs = new ArrayList<>();
    if (!Files.isDirectory(runsDir)) {
      return runs;
    }
    try (Stream<Path> dirs = Files.list(runsDir)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        String id = dir.getFileName().toString();
        // run.json goes first when a run is deleted: without it, the run is gone.
        if (RunIds.isValid(id) && Files.isRegularFile(dir.resolve(RUN))) {
          listed(id, dir).ifPresent(runs::add);
        }
      }
    } catch (IOException e) {
      throw new OrchestraException("cannot list runs in " + runsDir + ": " + e, e);
    }
    return runs;
  }

  private Optional<RunListing> listed(String id, Path dir) throws IOException {
    boolean active = isLocked(dir.resolve(LOCK));
    String summary = readOrNull(dir.resolve(SUMMARY));
    if (summary != null) {
      try {
        return Optional.of(RecordsJson.summary(summary, id, active));
      } catch (RuntimeException e) {
        LOG.debug("ignoring an unreadable {}: {}", dir.resolve(SUMMARY), e.toString());
      }
    }
    String json = readOrNull(dir.resolve(RUN));
    if (json == null) {
      return Optional.empty();
    }
    RunInfo info = RecordsJson.runInfo(json, null);
    Optional<RunResult> result = result(id);
    return Optional.of(
        new RunListing(
            new RunSummary(
                id,
                info.workflow(),
                info.started(),
                result.map(RunResult::status).orElse(null),
                active),
            result.map(RunListing.Ending::of).orElse(null)));
  }

  private static boolean isLocked(Path lockFile) {
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(ch);
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Takes the run's lock, so that no process starts recording it meanwhile, removes {@code
   * run.json} first (from then on the run is not listed or found, even if the rest of the removal
   * is interrupted), then the rest of its directory.
   */
  @Override
  public boolean delete(String runId) {
    if (!RunIds.isValid(runId) || !Files.isRegularFile(runsDir.resolve(runId).resolve(RUN))) {
      return false;
    }
    Path dir = runsDir.resolve(runId);
    RunRecorder recorder = lock(runId, dir, () -> 0);
    try {
      Files.deleteIfExists(dir.resolve(RUN));
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
          if (!p.equals(dir) && !p.equals(dir.resolve(LOCK))) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot delete run " + runId + " in " + dir + ": " + e + "; check permissions", e);
    } finally {
      recorder.close();
    }
    try {
      Files.deleteIfExists(dir.resolve(LOCK));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      LOG.warn("run {} is deleted but {} is left: {}", runId, dir, e.toString());
    }
    return true;
  }

  /**
   * {@inheritDoc} Reads {@code run.json} and {@code workflow.yaml}; the run's {@code run-plan.json}
   * is read when its plan is first asked for ({@link StoredPlan}), not here.
   */
  @Override
  public Optional<RunInfo> find(String runId) {
    if (!RunIds.isValid(runId)) {
      return Optional.empty();
    }
    Path dir = runsDir.resolve(runId);
    try {
      String json = Files.readString(dir.resolve(RUN));
      String text = Files.readString(dir.resolve(WORKFLOW));
      return Optional.of(
          RecordsJson.runInfo(json, text)
              .withStoredPlan(StoredPlan.loadedBy(() -> plan(runId, dir.resolve(RUN_PLAN)))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OrchestraException("cannot read run " + runId + " in " + dir + ": " + e, e);
    }
  }

  /**
   * The plan in {@code file}; none, to parse the workflow instead, when it is absent (a run
   * recorded before plans were) or torn.
   */
  private static Optional<RunPlan> plan(String runId, Path file) {
    String json;
    try {
      json = readOrNull(file);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read the plan of run " + runId + " in " + file + ": " + e + "; check permissions",
          e);
    }
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunPlanJson.decode(json));
    } catch (IllegalArgumentException e) {
      LOG.warn("run {}: ignoring its unreadable {}: {}", runId, RUN_PLAN, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public List<RecordedEvent> events(String runId) {
    return events(runId, 0);
  }

  /**
   * {@inheritDoc} Reads the whole of {@code events.jsonl} and decodes the events after {@code
   * afterSeq} only: for a resume near the end of a long run, the cost is mostly the read. While a
   * planned run's nodes hold events of their own ({@code nodes/NODE/events.jsonl}), every event is
   * decoded and merged first, and the answer is the merge's events after {@code afterSeq}: the
   * numbers are those {@link #events(String)} answers.
   */
  @Override
  public List<RecordedEvent> events(String runId, long afterSeq) {
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
    }
    Path dir = existing(runId);
    List<Path> nodeEvents;
    try {
      nodeEvents = NodeSegments.files(dir);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read the node events in " + dir.resolve(NODES) + ": " + e, e);
    }
    if (nodeEvents.isEmpty()) {
      return readEvents(dir.resolve(EVENTS), afterSeq);
    }
    List<RecordedEvent> merged;
    try {
      merged = NodeSegments.merged(dir, readEvents(dir.resolve(EVENTS), 0));
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read the node events in " + dir.resolve(NODES) + ": " + e, e);
    }
    // Numbered 1, 2, … without gaps: the events after afterSeq are a tail.
    return List.copyOf(merged.subList((int) Math.min(afterSeq, merged.size()), merged.size()));
  }

  /**
   * The events of one events file in order, those numbered {@code afterSeq} or less left out; empty
   * when it does not exist; a torn tail is left out.
   */
  static List<RecordedEvent> readEvents(Path file, long afterSeq) {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file + ": " + e, e);
    }
    List<RecordedEvent> events = new ArrayList<>();
    int lineNo = 0;
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      if (nl < 0) {
        // A last line without its line break was torn by a crash mid-write: not an event.
        LOG.debug("ignoring a torn last line in {}", file);
        break;
      }
      lineNo++;
      String line = text.substring(from, nl);
      from = nl + 1;
      if (line.isBlank()) {
        continue;
      }
      if (afterSeq > 0 && seqAtMost(line, afterSeq)) {
        continue;
      }
      try {
        events.add(EventJson.decode(line));
      } catch (OrchestraException e) {
        throw new OrchestraException(file + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
    return events;
  }

  /**
   * Whether the event on {@code line} is numbered {@code afterSeq} or less, read from its leading
   * {@code {"seq":N,} ({@link EventJson#encode} writes it first); a line that does not start so is
   * decoded in full, which reports it if it is not an event.
   */
  private static boolean seqAtMost(String line, long afterSeq) {
    String prefix = "{\"seq\":";
    if (!line.startsWith(prefix)) {
      return false;
    }
    int end = line.indexOf(',', prefix.length());
    if (end < 0) {
      return false;
    }
    try {
      return Long.parseLong(line, prefix.length(), end, 10) <= afterSeq;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @Override
  public Optional<RunResult> result(String runId) {
    Path file = existing(runId).resolve(RESULT);
    try {
      return Optional.of(RecordsJson.result(Files.readString(file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * {@inheritDoc} The attempts are those in {@code attempts.jsonl} (the run's, and for a planned
   * run the node's) and those with a directory {@code nodes/NODE/ATTEMPT/}; the facts file is read
   * once for all nodes while it does not change.
   */
  @Override
  public List<AttemptRecord> attempts(String runId, String node) {
    Path runDir = existing(runId);
    Path nodeDir = nodeDirectory(runDir, node);
    Map<Integer, AttemptFacts.Facts> facts = new TreeMap<>();
    try {
      facts.putAll(this.facts.of(runDir.resolve(AttemptFacts.FILE), node));
      // A planned run's node process writes its (and its inner nodes') facts in its directory.
      String top = node.contains("/") ? node.substring(0, node.indexOf('/')) : node;
      this.facts
          .of(nodeDirectory(runDir, top).resolve(AttemptFacts.FILE), node)
          .forEach((n, f) -> facts.merge(n, f, AttemptFacts.Facts::plus));
    } catch (IOException e) {
      throw new OrchestraException("cannot read the attempts' records in " + runDir + ": " + e, e);
    }
    Set<Integer> numbers = new TreeSet<>(facts.keySet());
    if (Files.isDirectory(nodeDir)) {
      try (Stream<Path> dirs = Files.list(nodeDir)) {
        dirs.map(p -> p.getFileName().toString())
            .filter(name -> name.matches("[0-9]{1,9}"))
            .forEach(name -> numbers.add(Integer.parseInt(name)));
      } catch (IOException e) {
        throw new OrchestraException("cannot list " + nodeDir + ": " + e, e);
      }
    }
    List<AttemptRecord> records = new ArrayList<>();
    for (int n : numbers) {
      Path dir = nodeDir.resolve(Integer.toString(n));
      records.add(readAttempt(node, n, dir, facts.getOrDefault(n, AttemptFacts.Facts.NONE)));
    }
    return records;
  }

  @Override
  public Decision decide(String runId, String node, Decision decision) {
    Path dir = nodeDirectory(existing(runId), node);
    try {
      return DecisionFiles.decide(dir, node, decision);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot record the decision on node '"
              + node
              + "' in "
              + dir
              + ": "
              + e
              + "; check free space and permissions",
          e);
    }
  }

  @Override
  public Map<String, Decision> decisions(String runId) {
    Path nodes = existing(runId).resolve(NODES);
    try {
      return DecisionFiles.all(nodes);
    } catch (IOException e) {
      throw new OrchestraException("cannot read the decisions in " + nodes + ": " + e, e);
    }
  }

  @Override
  public DecisionWatch watchDecisions(
      String runId, Collection<String> nodes, Consumer<String> listener) {
    Path dir = existing(runId);
    Map<String, Path> dirs = new LinkedHashMap<>();
    for (String node : nodes) {
      dirs.put(node, nodeDirectory(dir, node));
    }
    try {
      return new DecisionWatcher(runId, dirs, listener);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot watch " + dir.resolve(NODES) + " for decisions: " + e + "; check permissions", e);
    }
  }

  private static Path nodeDirectory(Path runDir, String node) {
    return runDir.resolve(NODES).resolve(NodeDirectories.name(node));
  }

  private static AttemptRecord readAttempt(
      String node, int attempt, Path dir, AttemptFacts.Facts facts) {
    if (!Files.isDirectory(dir)) {
      return new AttemptRecord(
          node, attempt, null, null, null, List.of(), null, null, facts.processes(), facts.usage());
    }
    try {
      List<dev.orchestra.check.CheckResult> checks = new ArrayList<>();
      Path checksDir = dir.resolve(CHECKS);
      if (Files.isDirectory(checksDir)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(checksDir)) {
          files =
              s.filter(p -> p.getFileName().toString().matches("[0-9]+\\.json"))
                  .sorted(Comparator.comparingInt(FileRunStore::checkIndex))
                  .toList();
        }
        for (Path f : files) {
          checks.add(RecordsJson.check(Files.readString(f)));
        }
      }
      String outputs = readOrNull(dir.resolve(OUTPUTS));
      // Records of older versions keep the facts in the attempt's directory.
      String processes = readOrNull(dir.resolve(PROCESSES));
      String usage = readOrNull(dir.resolve(USAGE));
      AttemptFacts.Facts all =
          new AttemptFacts.Facts(
                  processes == null ? List.of() : RecordsJson.processes(processes),
                  usage == null ? null : RecordsJson.usage(usage))
              .plus(facts);
      return new AttemptRecord(
          node,
          attempt,
          readOrNull(dir.resolve(PROMPT)),
          readOrNull(dir.resolve(STDOUT)),
          readOrNull(dir.resolve(STDERR)),
          checks,
          readOrNull(dir.resolve(OUTPUT)),
          outputs == null ? null : RecordsJson.strings(outputs),
          all.processes(),
          all.usage());
    } catch (IOException e) {
      throw new OrchestraException("cannot read the records in " + dir + ": " + e, e);
    }
  }

  private static int checkIndex(Path p) {
    String name = p.getFileName().toString();
    return Integer.parseInt(name.substring(0, name.indexOf('.')));
  }

  private static String readOrNull(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private Path existing(String runId) {
    Path dir = runDirectory(runId);
    if (!Files.isRegularFile(dir.resolve(RUN))) {
      throw new OrchestraException(
          "no run '" + runId + "' in " + runsDir + "; `orchestra runs` lists the recorded runs");
    }
    return dir;
  }

  private void checkId(String runId) {
    if (!RunIds.isValid(runId)) {
      throw new OrchestraException(
          "'" + runId + "' is not a run id; run ids look like 20261123-221530-3fa2");
    }
  }
}
