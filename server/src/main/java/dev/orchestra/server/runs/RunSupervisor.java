package dev.orchestra.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.engine.DecisionOutcome;
import dev.orchestra.engine.Engine;
import dev.orchestra.engine.Preflight;
import dev.orchestra.engine.RunHandle;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.RunStatus;
import dev.orchestra.server.events.EventHub;
import dev.orchestra.server.http.Json;
import dev.orchestra.store.Decision;
import dev.orchestra.store.RunResult;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.RunSummary;
import dev.orchestra.workflow.Workflow;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs this server runs: it starts them on the engine, keeps their handles to cancel them and
 * take decisions up, feeds their events to the {@link EventHub}, and carries them across restarts.
 *
 * <p><b>Restarts.</b> {@link #recover()} resumes, when the server starts, every run of the store
 * that was interrupted (no result and no process holds it: the server was killed, even with {@code
 * kill -9}) and every run that a graceful {@link #shutdown} cancelled, which it lists in {@code
 * handoff.json}. The engine's resume first ends the processes a killed server left running, and
 * never runs a succeeded node again.
 *
 * <p>Thread-safe.
 */
public final class RunSupervisor {
  private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);
  static final String HANDOFF = "handoff.json";

  private final Engine engine;
  private final RunStore store;
  private final EventHub hub;
  private final Clock clock;
  private final Path stateDir;
  private final Map<String, RunHandle> active = new ConcurrentHashMap<>();
  private final Admission admission;
  private volatile boolean accepting = true;

  /**
   * @param stateDir where the server keeps what it hands over to its next start ({@value #HANDOFF})
   * @param limits how many runs run at once and how submissions wait for a slot ({@link Admission})
   */
  public RunSupervisor(Engine engine, EventHub hub, Clock clock, Path stateDir, Limits limits) {
    this.engine = engine;
    this.store = engine.store();
    this.hub = hub;
    this.clock = clock;
    this.stateDir = stateDir;
    this.admission =
        new Admission(limits.maxRunning(), limits.maxWaiting(), limits.admissionWait());
  }

  /**
   * How many runs run at once ({@code maxRunning}), how many submissions may wait for one of them
   * to end ({@code maxWaiting}) and how long each waits before it is refused ({@code
   * admissionWait}).
   */
  public record Limits(int maxRunning, int maxWaiting, Duration admissionWait) {
    /** The defaults: 64 runs, 256 waiting submissions, 2 s. */
    public static final Limits DEFAULT = new Limits(64, 256, Duration.ofSeconds(2));

    public Limits {
      if (maxRunning < 1 || maxWaiting < 0 || admissionWait == null || admissionWait.isNegative()) {
        throw new IllegalArgumentException(
            "limits need maxRunning >= 1, maxWaiting >= 0 and a wait >= 0, were "
                + maxRunning
                + ", "
                + maxWaiting
                + ", "
                + admissionWait);
      }
    }
  }

  /** Whether new work is taken (false once shutdown began). */
  public boolean accepting() {
    return accepting;
  }

  /** Whether this server runs {@code runId} now. */
  public boolean isActive(String runId) {
    return active.containsKey(runId);
  }

  /**
   * Whether this server runs {@code runId} once a run that just streamed {@code run_finished} has
   * written its result (waiting up to 10 s for that).
   */
  public boolean settle(String runId) {
    RunHandle running = active.get(runId);
    if (running == null) {
      return false;
    }
    return !finishing(runId) || awaitQuietly(running).isEmpty();
  }

  /**
   * What a run of {@code workflow} (validated with {@code inputs}) needs from this machine and
   * lacks ({@link Engine#preflight}: credentials, agent CLIs, Docker images, the workspace's
   * repository), checked before {@link #submit} starts anything. May block for a bounded time on a
   * repository URL or the Docker engine.
   */
  public Preflight.Findings preflight(Workflow workflow, Map<String, String> inputs) {
    return engine.preflight(workflow, RunOptions.defaults().withInputs(inputs));
  }

  /**
   * Starts a run of {@code workflow} (validated with {@code inputs}); its records exist when this
   * returns. Waits for a slot when {@link Limits#maxRunning} runs are running.
   *
   * @return the run id
   * @throws Busy when no slot freed in time or too many submissions wait already
   */
  public String submit(Workflow workflow, String text, Map<String, String> inputs) {
    requireAccepting();
    admission.enter();
    RunHandle handle;
    try {
      requireAccepting();
      RunOptions options =
          RunOptions.defaults().withInputs(inputs).withWorkflowText(text).withListener(hub);
      handle = engine.start(workflow, options);
    } catch (RuntimeException e) {
      admission.leave();
      throw e;
    }
    track(handle);
    LOG.info("run {} of workflow {} submitted", handle.runId(), workflow.name());
    return handle.runId();
  }

  /**
   * Continues run {@code runId} from its records (resume, retry): its nodes that did not succeed
   * run again.
   *
   * @throws RunConflict when it runs here or in another process
   */
  public void resume(String runId) {
    requireAccepting();
    // A run that just streamed run_finished still writes its result: give it that moment.
    if (settle(runId)) {
      throw new RunConflict("run " + runId + " is running; cancel it first");
    }
    RunHandle handle;
    admission.force();
    try {
      handle = engine.resume(runId, RunOptions.defaults().withListener(hub));
    } catch (OrchestraException e) {
      admission.leave();
      if (e.getMessage().contains("in use by another process")) {
        throw new RunConflict(e.getMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      admission.leave();
      throw e;
    }
    track(handle);
    LOG.info("run {} resumed", runId);
  }

  /**
   * Cancels run {@code runId}, which must run here; returns at once.
   *
   * @throws RunConflict when it does not run here
   */
  public void cancel(String runId) {
    RunHandle handle = active.get(runId);
    if (handle == null || finishing(runId)) {
      throw new RunConflict(
          "run " + runId + " is not running in this server; only a running run can be cancelled");
    }
    handle.cancel();
  }

  /** Records a decision on {@code node}'s approval gate as {@code by}. */
  public DecisionOutcome decide(
      String runId, String node, boolean approve, String by, String comment) {
    RunHandle handle = active.get(runId);
    if (handle != null) {
      return approve ? handle.approve(node, by, comment) : handle.reject(node, by, comment);
    }
    Decision d =
        approve
            ? Decision.approve(by, comment, clock.instant())
            : Decision.reject(by, comment, clock.instant());
    return engine.decide(runId, node, d);
  }

  private boolean finishing(String runId) {
    List<dev.orchestra.event.RecordedEvent> events = store.events(runId);
    return !events.isEmpty()
        && events.get(events.size() - 1).event() instanceof dev.orchestra.event.Event.RunFinished;
  }

  private static Optional<RunResult> awaitQuietly(RunHandle handle) {
    try {
      return handle.await(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void track(RunHandle handle) {
    String id = handle.runId();
    hub.attach(id);
    active.put(id, handle);
    handle
        .completion()
        .whenComplete(
            (result, failure) -> {
              // The slot first: a run no longer listed as active has given its slot back.
              admission.leave();
              active.remove(id, handle);
              hub.detach(id);
              if (result != null) {
                LOG.info("run {} finished {}", id, result.status().wireName());
              }
              handle
                  .recordsFailure()
                  .ifPresent(
                      why ->
                          LOG.warn(
                              "run {} stopped: its records could not be written ({}); it is"
                                  + " interrupted and can be resumed once they can",
                              id,
                              why));
            });
  }

  private void requireAccepting() {
    if (!accepting) {
      throw new ShuttingDown();
    }
  }

  /**
   * Resumes the runs a previous server left: interrupted ones, and those its graceful shutdown
   * cancelled. A run that cannot be resumed is logged and left as it is.
   *
   * @return the ids of the runs resumed
   */
  public List<String> recover() {
    Set<String> handedOver = readHandoff();
    List<String> resumed = new ArrayList<>();
    for (RunSummary run : store.list()) {
      boolean cancelledByShutdown =
          handedOver.contains(run.id())
              && !run.active()
              && store.result(run.id()).map(RunResult::status).orElse(null) == RunStatus.CANCELLED;
      if (!run.interrupted() && !cancelledByShutdown) {
        continue;
      }
      try {
        resume(run.id());
        resumed.add(run.id());
      } catch (RuntimeException e) {
        LOG.warn("cannot resume run {}: {}", run.id(), e.getMessage());
      }
    }
    deleteHandoff();
    if (!resumed.isEmpty()) {
      LOG.info("resumed {} run(s) of the previous server: {}", resumed.size(), resumed);
    }
    return resumed;
  }

  /**
   * Stops taking work, lists the running runs for the next start, cancels them and waits up to
   * {@code grace} for them to end (their records flushed).
   *
   * @return the ids of the runs that were cancelled
   */
  public List<String> shutdown(Duration grace) {
    accepting = false;
    List<String> ids = new ArrayList<>(active.keySet());
    if (ids.isEmpty()) {
      return ids;
    }
    writeHandoff(ids);
    long deadline = System.nanoTime() + grace.toNanos();
    List<RunHandle> handles = new ArrayList<>(active.values());
    handles.forEach(RunHandle::cancel);
    for (RunHandle h : handles) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || h.await(Duration.ofNanos(left)).isEmpty()) {
          LOG.warn("run {} did not end within {} of the cancel", h.runId(), grace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LOG.info(
        "cancelled {} run(s) for the shutdown; the next start resumes them: {}", ids.size(), ids);
    return ids;
  }

  private Set<String> readHandoff() {
    Path file = stateDir.resolve(HANDOFF);
    try {
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
      Set<String> ids = new LinkedHashSet<>();
      root.path("runs").forEach(n -> ids.add(n.asText()));
      return ids;
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      LOG.warn("cannot read {} ({}); resuming only the interrupted runs", file, e.toString());
      return Set.of();
    }
  }

  private void writeHandoff(List<String> ids) {
    Path file = stateDir.resolve(HANDOFF);
    try {
      Files.createDirectories(stateDir);
      ObjectNode root = Json.MAPPER.createObjectNode();
      ArrayNode runs = root.putArray("runs");
      Set<String> all = new LinkedHashSet<>(readHandoff());
      all.addAll(ids);
      all.forEach(runs::add);
      Path tmp = Files.createTempFile(stateDir, ".handoff", ".tmp");
      Files.write(tmp, Json.MAPPER.writeValueAsBytes(root));
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot write {} ({}); the runs cancelled now must be resumed by hand: {}",
          file,
          e.toString(),
          ids);
    }
  }

  private void deleteHandoff() {
    try {
      Files.deleteIfExists(stateDir.resolve(HANDOFF));
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", stateDir.resolve(HANDOFF), e.toString());
    }
  }

  /**
   * Resumes runs this server has just taken over (their lease expired with a dead server), each
   * unless it runs here already; a run that cannot be resumed is logged.
   */
  public void resumeAll(List<String> ids) {
    for (String id : ids) {
      if (active.containsKey(id)) {
        continue;
      }
      try {
        resume(id);
        LOG.info("took over run {} from a server that stopped renewing its lease", id);
      } catch (RuntimeException e) {
        LOG.warn("cannot resume run {} taken over: {}", id, e.getMessage());
      }
    }
  }

  /** The completion of run {@code runId}, while it runs here. */
  public Optional<java.util.concurrent.CompletableFuture<RunResult>> completion(String runId) {
    return Optional.ofNullable(active.get(runId)).map(RunHandle::completion);
  }

  /** The ids of the runs this server runs now. */
  public Set<String> activeRuns() {
    return Set.copyOf(active.keySet());
  }

  /** A run that is not in a state for what was asked. */
  public static final class RunConflict extends OrchestraException {
    private static final long serialVersionUID = 1L;

    public RunConflict(String message) {
      super(message);
    }
  }

  /** Every slot is taken and no submission can wait for one now; try again later. */
  public static final class Busy extends OrchestraException {
    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    Busy(int maxRunning, long retryAfterSeconds, boolean queueFull) {
      super(
          "the server runs "
              + maxRunning
              + " runs, its limit, and "
              + (queueFull
                  ? "as many submissions wait already as it queues"
                  : "none of them ended while this submission waited")
              + "; nothing was started: try again in "
              + retryAfterSeconds
              + " s (orchestra serve --max-running raises the limit)");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    /** When to try again, for the {@code Retry-After} header. */
    public long retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** The server is shutting down and takes no new work. */
  public static final class ShuttingDown extends OrchestraException {
    private static final long serialVersionUID = 1L;

    public ShuttingDown() {
      super("the server is shutting down and takes no new work; try again once it is back");
    }
  }

  /** Whether the store holds run {@code runId}. */
  public Optional<RunSummary> summary(String runId) {
    return store.list().stream().filter(r -> r.id().equals(runId)).findFirst();
  }
}
