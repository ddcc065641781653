package dev.orchestra.runtime;

import dev.orchestra.agent.Agent;
import dev.orchestra.agent.Agents;
import dev.orchestra.agents.catalog.AiAgents;
import dev.orchestra.check.Checks;
import dev.orchestra.docker.DockerImages;
import dev.orchestra.docker.DockerNodes;
import dev.orchestra.engine.Engine;
import dev.orchestra.exec.LocalExecutor;
import dev.orchestra.exec.Spawner;
import dev.orchestra.git.GitWorkspaces;
import dev.orchestra.runtime.spawn.PosixSpawner;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.RunStore;
import dev.orchestra.store.file.FileRunStore;
import dev.orchestra.workflow.ExecutorKind;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine as every front end runs it — the CLI's {@code run} and {@code resume}, {@code node
 * exec} in a pipeline stage, the server: local processes, a container for each {@code executor:
 * docker} node (connecting to Docker only when one runs), the {@code command} agent and the AI
 * agents of {@link AiAgents#all()}, the standard checks, git workspaces, and credentials from the
 * store in {@code ORCHESTRA_HOME} then {@code ORCHESTRA_CREDENTIAL_*} variables. Its {@link
 * Engine#preflight} checks what a run needs from this machine with all of them: credentials, agent
 * CLIs, the Docker engine and each Docker node's image ({@link DockerImages}), the workspace's
 * repository ({@link GitWorkspaces}).
 *
 * <pre>{@code
 * try (OrchestraRuntime runtime = OrchestraRuntime.builder().store(store).build()) {
 *   RunHandle run = runtime.engine().start(workflow, options);
 *   run.await();
 * }
 * }</pre>
 *
 * <p>Closing it closes the engine (its worker threads) and the Docker connection, if one was made.
 * Thread-safe as the engine is.
 */
public final class OrchestraRuntime implements AutoCloseable {
  /**
   * How local processes start: {@code posix_spawn} in a session of their own, or {@code setsid}
   * where that is not available. One for the JVM: it loads the C library on its first process.
   */
  private static final Spawner SPAWNER = new PosixSpawner();

  private final Engine engine;
  private final DockerNodes docker;

  private OrchestraRuntime(Engine engine, DockerNodes docker) {
    this.engine = engine;
    this.docker = docker;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The wired engine; the same one for the life of this runtime. */
  public Engine engine() {
    return engine;
  }

  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      docker.close();
    }
  }

  /** Chooses the store and the environment; everything else is wired the same for every caller. */
  public static final class Builder {
    private RunStore store;
    private Function<String, Path> runDirectories;
    private Path baseDir = Path.of("");
    private Clock clock = Clock.systemUTC();
    private Map<String, String> env = System.getenv();
    private DockerNodes docker;
    private boolean dockerNodesHere;
    private boolean environmentCredentialsFirst;
    private final List<Agent> extraAgents = new ArrayList<>();

    private Builder() {}

    /** Records in a file store; each run's git repository lives in its run directory. */
    public Builder store(FileRunStore store) {
      return store(store, store::runDirectory);
    }

    /**
     * Records in {@code store}; {@code runDirectories} names the directory where each run keeps
     * what is not a record (its git repository when the workflow names none).
     */
    public Builder store(RunStore store, Function<String, Path> runDirectories) {
      this.store = Objects.requireNonNull(store, "store");
      this.runDirectories = Objects.requireNonNull(runDirectories, "runDirectories");
      return this;
    }

    /** Where relative paths of workflows (workspaces, {@code uses}) start; default: the cwd. */
    public Builder baseDirectory(Path dir) {
      this.baseDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The variables templates read and credentials come from ({@code ORCHESTRA_HOME}, {@code
     * ORCHESTRA_CREDENTIAL_*}); default: this process's environment.
     */
    public Builder environment(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    /** The containers of Docker nodes; default: {@link DockerNodes#onDemand()}. */
    public Builder docker(DockerNodes docker) {
      this.docker = Objects.requireNonNull(docker, "docker");
      return this;
    }

    /**
     * Runs the processes of {@code executor: docker} nodes directly, as local ones: for {@code node
     * exec --executor local}, which a pipeline runs inside the node's container already.
     */
    public Builder dockerNodesRunHere() {
      this.dockerNodesHere = true;
      return this;
    }

    /**
     * Takes credentials from the {@code ORCHESTRA_CREDENTIAL_*} variables before the credential
     * store ({@link Credentials#environmentFirst}): for {@code node exec}, whose pipeline binds
     * them as variables.
     */
    public Builder environmentCredentialsFirst() {
      this.environmentCredentialsFirst = true;
      return this;
    }

    /** An agent beside the standard ones, or in place of the one of the same name. */
    public Builder agent(Agent agent) {
      extraAgents.add(Objects.requireNonNull(agent, "agent"));
      return this;
    }

    public OrchestraRuntime build() {
      Objects.requireNonNull(store, "a runtime needs a run store");
      DockerNodes containers = docker != null ? docker : DockerNodes.onDemand();
      Credentials credentials =
          environmentCredentialsFirst ? Credentials.environmentFirst(env) : Credentials.from(env);
      LocalExecutor local = new LocalExecutor(SPAWNER);
      Engine.Builder engine = Engine.builder();
      Agents agents = AiAgents.all();
      for (String name : agents.names()) {
        engine.agent(agents.get(name));
      }
      extraAgents.forEach(engine::agent);
      engine
          .store(store)
          .executor(ExecutorKind.LOCAL, local)
          .nodeExecutor(ExecutorKind.DOCKER, dockerNodesHere ? node -> local : containers)
          .preflight(
              ExecutorKind.DOCKER,
              node ->
                  dockerNodesHere ? Optional.empty() : DockerImages.unavailable(containers, node))
          .checks(Checks::from)
          .workspaces(new GitWorkspaces(baseDir, runDirectories, credentials))
          .baseDirectory(baseDir)
          .clock(clock)
          .environment(env)
          .credentials(credentials);
      return new OrchestraRuntime(engine.build(), containers);
    }
  }
}
