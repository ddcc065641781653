package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.agent.Agent;
import dev.orchestra.agent.command.CommandAgent;
import dev.orchestra.check.Check;
import dev.orchestra.check.Checks;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.LocalExecutor;
import dev.orchestra.exec.Watchdog;
import dev.orchestra.secret.Credentials;
import dev.orchestra.secret.SecretMasker;
import dev.orchestra.state.RunPlan;
import dev.orchestra.store.Decision;
import dev.orchestra.store.PlannedRunStore;
import dev.orchestra.store.RunIds;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.StoredPlan;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.InputSpec;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.Workflow;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs workflows (docs/runs.md): ready-set scheduling by {@code limits.concurrency} and per-agent
 * caps, checks with retries and feedback, timeouts, budgets, cancel, durable records in a {@link
 * RunStore}, and resume.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().store(FileRunStore.under(cwd)).baseDirectory(cwd).build();
 * RunHandle run = engine.start(workflow, RunOptions.defaults().withListener(printer));
 * Runtime.getRuntime().addShutdownHook(new Thread(run::cancel));
 * RunResult result = run.await();
 * }</pre>
 *
 * <p>Thread-safe: one engine runs any number of runs at once. It owns two thread pools (node
 * workers and a timer), released by {@link #close()}; the processes of a run belong to that run.
 */
public final class Engine implements AutoCloseable {
  /** How often a start draws a new run id after another start took the one it drew. */
  private static final int MAX_ID_CLASHES = 8;

  private final RunStore store;
  private final WorkflowReader loader;
  private final Path baseDir;
  private final RunServices services;
  private final Preflight preflight;

  private Engine(Builder b, RunServices services) {
    this.store = b.store;
    this.loader = b.loader;
    this.baseDir = b.baseDir;
    this.services = services;
    this.preflight = new Preflight(services, b.preflights, b.loader);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The store this engine records runs in (to list and read them). */
  public RunStore store() {
    return store;
  }

  /**
   * Checks what {@code workflow} (already validated) needs from this machine before anything runs,
   * as {@link Preflight} describes: credentials, agent CLIs, executors (through the checks given to
   * {@link Builder#preflight}), the workspace's repository. Front ends report the problems
   * together, at their lines and columns, and start the run only when there are none.
   *
   * @param options the options the run will start with: its inputs (the workspace {@code ref} may
   *     read them) and its trust (composed workflows are loaded as the run will load them)
   * @throws OrchestraException when a composed workflow cannot be loaded
   */
  public Preflight.Findings preflight(Workflow workflow, RunOptions options) {
    return preflight.check(workflow, options.inputs(), baseDir, options.trust());
  }

  /**
   * Starts a run of {@code workflow} (already validated) and returns at once; the nodes run on the
   * engine's threads.
   *
   * @throws OrchestraException when a required input is missing, a composed workflow cannot be
   *     loaded, or the run cannot be recorded
   */
  public RunHandle start(Workflow workflow, RunOptions options) {
    if (options.resume() != null) {
      RunInfo recorded =
          store
              .find(options.resume())
              .orElseThrow(
                  () ->
                      new OrchestraException(
                          "no run '"
                              + options.resume()
                              + "' to resume; `orchestra runs` lists the runs"));
      if (!recorded.workflow().equals(workflow.name())) {
        throw new OrchestraException(
            "run "
                + options.resume()
                + " ran workflow '"
                + recorded.workflow()
                + "', not '"
                + workflow.name()
                + "'; resume it with `orchestra resume "
                + options.resume()
                + "`");
      }
      return resume(options.resume(), options);
    }
    Map<String, String> inputs = inputs(workflow, options.inputs());
    RunGraph graph = RunGraph.build(workflow, loader, baseDir, options.trust());
    SecretMasker masker = new SecretMasker();
    NodeCredentials.prepare(graph, services.credentials(), masker);
    String text = options.workflowText();
    if (text == null) {
      text = workflow.file() != null ? RunOptions.read(workflow.file()) : "";
    }
    // The views of the run read this instead of parsing its workflow again.
    StoredPlan plan = StoredPlan.of(RunPlan.of(workflow));
    RunInfo info = null;
    RunRecorder created = null;
    for (int clashes = 0; created == null; ) {
      String id = RunIds.next(services.clock(), services.random());
      if (store.find(id).isPresent()) {
        continue;
      }
      info =
          new RunInfo(
              id,
              workflow.name(),
              workflow.file() == null ? null : workflow.file().toString(),
              text,
              inputs,
              services.clock().instant(),
              plan);
      try {
        created = store.create(info);
      } catch (OrchestraException e) {
        // Another start took the same id between the look and the create (two starts in one
        // second drew the same suffix): draw again. Any other failure is the caller's.
        if (++clashes > MAX_ID_CLASHES || store.find(id).isEmpty()) {
          throw e;
        }
      }
    }
    String runId = info.id();
    MaskingRunRecorder recorder = new MaskingRunRecorder(created, masker);
    graph.root.inputs(inputs);
    EventLog log = new EventLog(runId, services.clock(), recorder, 0, options.listeners(), masker);
    Coordinator coordinator =
        new Coordinator(
            new RunContext(info, graph, services, recorder, log, store),
            options.concurrency(),
            false);
    try {
      coordinator.start();
    } catch (RuntimeException e) {
      recorder.close();
      throw e;
    }
    return new RunHandle(coordinator, log);
  }

  /**
   * Continues an interrupted (or failed, or cancelled) run from its records: nodes that succeeded
   * keep their outputs and are not run again; all others run again, interrupted ones as a new
   * attempt (see {@link Replay}). Events continue the run's {@code seq} numbering after a {@code
   * run_started} with {@code resumed: true}. The run's recorded inputs are used.
   *
   * <p>Before anything runs, process groups that an interrupted attempt started and that outlived
   * the previous session (a {@code kill -9} of its JVM) are killed, provided their leader is still
   * the recorded process; this blocks for up to 5 seconds per such group.
   *
   * @throws OrchestraException when there is no such run or another process holds it
   */
  public RunHandle resume(String runId, RunOptions options) {
    RunInfo info =
        store
            .find(runId)
            .orElseThrow(
                () ->
                    new OrchestraException(
                        "no run '" + runId + "' to resume; `orchestra runs` lists the runs"));
    SecretMasker masker = new SecretMasker();
    MaskingRunRecorder recorder = new MaskingRunRecorder(store.reopen(runId), masker);
    try {
      List<RecordedEvent> events = store.events(runId);
      // Before anything runs: an agent still running from a crashed session would race its retry.
      Orphans.reap(events, store, runId);
      // What agents of the interrupted session left outside the records is not needed (sessions
      // do not carry over a resume) and may hold unmasked secrets.
      services.scratch().remove(runId);
      Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
      Workflow workflow = loader.parse(file, info.workflowText(), options.trust());
      RunGraph graph = RunGraph.build(workflow, loader, baseDir, options.trust());
      NodeCredentials.prepare(graph, services.credentials(), masker);
      long lastSeq = Replay.apply(events, graph, store, runId);
      graph.root.inputs(info.inputs());
      EventLog log =
          new EventLog(runId, services.clock(), recorder, lastSeq, options.listeners(), masker);
      Coordinator coordinator =
          new Coordinator(
              new RunContext(info, graph, services, recorder, log, store),
              options.concurrency(),
              true);
      coordinator.start();
      return new RunHandle(coordinator, log);
    } catch (RuntimeException e) {
      recorder.close();
      throw e;
    }
  }

  /**
   * Records a person's decision on the approval gate of {@code node} in run {@code runId}, which
   * another process may be running (it takes the decision up at once, through its store's watch) or
   * none (the run takes it up when it is resumed, or {@code node exec} when it runs the node). The
   * rules are those of {@link RunHandle#approve}: the node must exist and have a gate, {@code
   * decision.by()} must be one of its approvers when it names any, and the first decision is final.
   * For a run this engine is running, {@link RunHandle#approve} and {@link RunHandle#reject} do the
   * same and take the decision up without a round trip through the store.
   *
   * @return {@link DecisionOutcome.Recorded} with the node's status in the records, {@link
   *     DecisionOutcome.Unchanged}, or {@link DecisionOutcome.Refused} naming why (also when there
   *     is no such run)
   * @throws OrchestraException when the run's workflow or the files it composes cannot be read, or
   *     the store cannot be written
   */
  public DecisionOutcome decide(String runId, String node, Decision given) {
    Optional<RunInfo> found = store.find(runId);
    if (found.isEmpty()) {
      return new DecisionOutcome.Refused("no run '" + runId + "'; `orchestra runs` lists the runs");
    }
    RunInfo info = found.get();
    // A decision runs nothing and reads no file into a prompt: the graph's shape is all it needs,
    // whatever trust the run was started with. A planned run's shape is the one recorded at plan
    // time (its composed files may have changed on disk since).
    RunGraph graph;
    if (store instanceof PlannedRunStore p && p.planned(runId)) {
      graph = planned(Trust.LOCAL).graph(info, Trust.LOCAL);
    } else {
      Path file = Path.of(info.workflowFile() != null ? info.workflowFile() : "workflow.yaml");
      graph =
          RunGraph.build(
              loader.parse(file, info.workflowText(), Trust.LOCAL), loader, baseDir, Trust.LOCAL);
    }
    SecretMasker masker = new SecretMasker();
    NodeCredentials.prepare(graph, services.credentials(), masker);
    Decision decision = DecisionRules.masked(given, masker);
    GraphNode n = graph.byId.get(node);
    Decision existing = store.decisions(runId).get(node);
    Optional<DecisionOutcome> early =
        DecisionRules.check(graph, runId, node, n, existing, decision);
    if (early.isPresent()) {
      return early.get();
    }
    // The status before the decision: the run may take it up before decide() returns.
    NodeStatus status = DecisionRules.status(store.events(runId), node);
    Decision onRecord = store.decide(runId, node, decision);
    return DecisionRules.settle(decision, onRecord, node, status);
  }

  /**
   * The runs this engine plans for a CI pipeline, which runs their nodes one per process ({@code
   * orchestra plan}, {@code node exec}, {@code node skip}, {@code runs finish};
   * docs/pipeline-plan.md).
   *
   * @param trust how far the workflows planned and run through it are trusted ({@code
   *     --trust-local})
   * @throws OrchestraException when the engine's store cannot record planned runs (it is no {@link
   *     PlannedRunStore})
   */
  public PlannedRuns planned(Trust trust) {
    if (!(store instanceof PlannedRunStore planned)) {
      throw new OrchestraException(
          "the run store "
              + store.getClass().getSimpleName()
              + " cannot record a run whose nodes run in separate processes; use the file store"
              + " (the CLI's runs directory)");
    }
    return new PlannedRuns(planned, loader, baseDir, services, trust);
  }

  /** The run's inputs: the given values over the declared defaults, every required one given. */
  static Map<String, String> inputs(Workflow workflow, Map<String, String> given) {
    Map<String, String> all = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, InputSpec> e : workflow.inputs().entrySet()) {
      String value = given.get(e.getKey());
      if (value == null) {
        value = e.getValue().defaultValue();
      }
      if (value != null) {
        all.put(e.getKey(), value);
      } else if (e.getValue().required()) {
        missing.add(e.getKey());
      }
    }
    if (!missing.isEmpty()) {
      throw new OrchestraException(
          "workflow '"
              + workflow.name()
              + "' needs the input(s) "
              + missing
              + "; give each with -i NAME=VALUE");
    }
    given.forEach(all::putIfAbsent);
    return all;
  }

  /** Stops the engine's threads. Cancel and await running runs first. */
  @Override
  public void close() {
    services.workers().shutdown();
    services.scheduler().shutdownNow();
  }

  /** Builds an {@link Engine}. Not thread-safe. */
  public static final class Builder {
    private RunStore store;
    private final Map<String, Agent> agents = new HashMap<>();
    private final Map<ExecutorKind, Function<NodeSpec, Executor>> executors =
        new EnumMap<>(ExecutorKind.class);
    private Function<CheckSpec, Check> checks = Checks::from;
    private WorkspaceProvider workspaces;
    private WorkflowReader loader = WorkflowReader.validating();
    private Path baseDir = Path.of("");
    private Clock clock = Clock.systemUTC();
    private Random random = new Random();
    private Map<String, String> env = System.getenv();
    private HttpClient http;
    private Duration urlTimeout = Duration.ofSeconds(30);
    private Set<String> allowedHosts = Set.of();
    private Credentials credentials;
    private Path scratch;
    private final Map<ExecutorKind, Function<NodeSpec, Optional<String>>> preflights =
        new EnumMap<>(ExecutorKind.class);

    private Builder() {
      agent(new CommandAgent());
      executor(ExecutorKind.LOCAL, new LocalExecutor());
    }

    /** Where runs are recorded (required). */
    public Builder store(RunStore store) {
      this.store = store;
      return this;
    }

    /** Adds an agent, found by its {@link Agent#name()}; the {@code command} agent is built in. */
    public Builder agent(Agent agent) {
      agents.put(agent.name(), agent);
      return this;
    }

    /**
     * The executor for {@code executor: KIND}; a node whose kind has none ends in error. {@code
     * local} is built in ({@link LocalExecutor}).
     */
    public Builder executor(ExecutorKind kind, Executor executor) {
      Objects.requireNonNull(executor, "executor");
      executors.put(kind, node -> executor);
      return this;
    }

    /**
     * The executor for {@code executor: KIND} made per node from its settings (a container image
     * and options for {@code docker}); called once per node run, on the node's worker thread. An
     * {@link OrchestraException} it throws ends the node in error with its message.
     */
    public Builder nodeExecutor(ExecutorKind kind, Function<NodeSpec, Executor> perNode) {
      executors.put(kind, Objects.requireNonNull(perNode, "perNode"));
      return this;
    }

    /** Turns check specs into checks; default {@link Checks#from(CheckSpec)}. */
    public Builder checks(Function<CheckSpec, Check> checks) {
      this.checks = checks;
      return this;
    }

    /** Gives nodes their directories; default: {@link SharedWorkspaces} on the base directory. */
    public Builder workspaces(WorkspaceProvider workspaces) {
      this.workspaces = workspaces;
      return this;
    }

    /** Loads the workflows of {@code uses} and of resumed runs. */
    public Builder loader(WorkflowReader loader) {
      this.loader = loader;
      return this;
    }

    /** The directory relative paths start from (the CLI's current directory). */
    public Builder baseDirectory(Path dir) {
      this.baseDir = dir;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The source of backoff jitter and run id suffixes. */
    public Builder random(Random random) {
      this.random = random;
      return this;
    }

    /** The variables {@code {{ env.NAME }}} reads; default: this process's environment. */
    public Builder environment(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /**
     * The client that fetches {@code context: url} entries, and its per-request timeout. It must
     * not follow redirects: the engine follows them itself, checking each target's address first.
     *
     * @throws IllegalArgumentException when {@code http} follows redirects
     */
    public Builder http(HttpClient http, Duration timeout) {
      if (http.followRedirects() != HttpClient.Redirect.NEVER) {
        throw new IllegalArgumentException(
            "the HttpClient for context URLs follows redirects ("
                + http.followRedirects()
                + "); build it with followRedirects(HttpClient.Redirect.NEVER): the engine follows"
                + " them itself, checking each address first");
      }
      this.http = http;
      this.urlTimeout = timeout;
      return this;
    }

    /**
     * Hosts (names or addresses, as URLs write them) that {@code context: url} may reach in
     * untrusted runs although their addresses are loopback, link-local or private
     * (docs/security.md), e.g. a documentation server on the company network. Default: none.
     */
    public Builder allowHosts(Collection<String> hosts) {
      this.allowedHosts =
          hosts.stream()
              .map(h -> h.toLowerCase(java.util.Locale.ROOT))
              .collect(java.util.stream.Collectors.toUnmodifiableSet());
      return this;
    }

    /**
     * Where nodes' {@code credentials} come from; default: the credential store in the Orchestra
     * home of {@link #environment}'s variables ({@code ORCHESTRA_HOME}), then its {@code
     * ORCHESTRA_CREDENTIAL_*} variables.
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * How {@link Engine#preflight} tells whether the executor for {@code executor: KIND} can run a
     * node: why not, with the remedy, or empty (e.g. for {@code docker}: the engine answers and the
     * node's image is there). Kinds without one are taken to be ready.
     */
    public Builder preflight(ExecutorKind kind, Function<NodeSpec, Optional<String>> check) {
      preflights.put(kind, Objects.requireNonNull(check, "check"));
      return this;
    }

    /**
     * Where agents write their own files while an attempt runs, outside the records (see {@code
     * AgentScratch}); default: {@code $ORCHESTRA_SCRATCH} of {@link #environment}, else a directory
     * of this user's in {@code /dev/shm}, else in the temporary directory.
     */
    public Builder scratch(Path dir) {
      this.scratch = dir;
      return this;
    }

    public Engine build() {
      Objects.requireNonNull(store, "an engine needs a run store");
      Path base = baseDir.toAbsolutePath().normalize();
      baseDir = base;
      HttpClient given = http;
      Duration timeout = urlTimeout;
      // Building an HttpClient loads the TLS trust store: only do it when a URL is fetched.
      java.util.function.Supplier<HttpClient> client =
          given != null
              ? () -> given
              : new java.util.function.Supplier<>() {
                private HttpClient lazy;

                @Override
                public synchronized HttpClient get() {
                  if (lazy == null) {
                    // Redirects are followed by Prompts, which checks each target's address.
                    lazy =
                        HttpClient.newBuilder()
                            .connectTimeout(timeout)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .build();
                  }
                  return lazy;
                }
              };
      ExecutorService workers = Executors.newCachedThreadPool(daemon("orchestra-node-"));
      ScheduledThreadPoolExecutor timers =
          new ScheduledThreadPoolExecutor(1, daemon("orchestra-timer-"));
      // Every attempt arms a timeout that is almost always cancelled: drop those from the queue.
      timers.setRemoveOnCancelPolicy(true);
      RunServices services =
          new RunServices(
              Map.copyOf(agents),
              new EnumMap<>(executors),
              checks,
              workspaces != null ? workspaces : new SharedWorkspaces(base),
              new Prompts(client, urlTimeout, allowedHosts),
              workers,
              timers,
              new Watchdog(clock, timers, workers),
              clock,
              random,
              env,
              credentials != null ? credentials : Credentials.from(env),
              scratch != null ? new AgentScratch(scratch) : AgentScratch.from(env));
      return new Engine(this, services);
    }

    private static ThreadFactory daemon(String prefix) {
      AtomicInteger n = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
