package dev.orchestra.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.orchestra.OrchestraException;
import dev.orchestra.exec.Executor;
import dev.orchestra.exec.ProcessLabels;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.NodeSpec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Docker engine over its API (a unix socket by default; {@code DOCKER_HOST} is
 * honoured), shared by the {@link DockerExecutor}s of all nodes.
 *
 * <p>Every container it starts carries the labels {@code orchestra.run}, {@code orchestra.node},
 * {@code orchestra.attempt} and {@code orchestra.owner} (this JVM's pid and start time). {@link
 * #removeOrphans()} removes the containers whose owner is no longer alive: those that a {@code kill
 * -9} of an earlier Orchestra left behind. Containers without these labels are never touched.
 *
 * <pre>{@code
 * try (DockerRuntime docker = DockerRuntime.connect()) {
 *   docker.removeOrphans();
 *   Engine engine = Engine.builder().nodeExecutor(ExecutorKind.DOCKER, docker::executor)...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the connection; containers still running belong to their
 * executions, which remove them when they end.
 */
public final class DockerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

  static final String RUN = ProcessLabels.RUN;
  static final String NODE = ProcessLabels.NODE;
  static final String ATTEMPT = ProcessLabels.ATTEMPT;

  /** The Orchestra process a container belongs to: {@link #ownerOf(ProcessHandle)}. */
  static final String OWNER = "orchestra.owner";

  /** How far a recorded start time may be from the one the OS reports for the same process. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

  private final DockerClient client;
  private final String host;
  private final String owner;
  private final String user;
  private volatile Integer cpus;

  private DockerRuntime(DockerClient client, String host) {
    this.client = client;
    this.host = host;
    this.owner = ownerOf(ProcessHandle.current());
    this.user = HostUser.current();
  }

  /**
   * Connects to the engine at {@code DOCKER_HOST}, else {@code unix:///var/run/docker.sock}, and
   * checks that it answers.
   *
   * @throws OrchestraException naming the address and the remedy when the engine does not answer
   */
  public static DockerRuntime connect() {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    return connect(config);
  }

  /** Connects to the engine at {@code host}, e.g. {@code unix:///var/run/docker.sock}. */
  public static DockerRuntime connect(String host) {
    return connect(
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build());
  }

  private static DockerRuntime connect(DockerClientConfig config) {
    // No response timeout: attach and wait stay open as long as the container runs.
    var http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(256)
            .connectionTimeout(Duration.ofSeconds(5))
            .build();
    DockerClient client = DockerClientImpl.getInstance(config, http);
    String host = config.getDockerHost().toString();
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw new OrchestraException(
          "cannot reach the Docker engine at "
              + host
              + " ("
              + e.getMessage()
              + "); start dockerd (e.g. `sudo systemctl start docker`) or set DOCKER_HOST",
          e);
    }
    return new DockerRuntime(client, host);
  }

  /**
   * The executor for a node: containers of its {@code image} with its {@code docker} options.
   *
   * @throws OrchestraException when the node names no image
   */
  public Executor executor(NodeSpec node) {
    if (node.image() == null || node.image().isBlank()) {
      throw new OrchestraException(
          "node '"
              + node.id()
              + "' has 'executor: docker' but no 'image'; add e.g. 'image: orchestra-agent:latest'");
    }
    return executor(node.image(), node.docker());
  }

  /** The executor for containers of {@code image} with {@code options} (may be {@code null}). */
  public DockerExecutor executor(String image, DockerOptions options) {
    return new DockerExecutor(
        this, image, options != null ? options : new DockerOptions(null, null, null, null));
  }

  /**
   * The engine's CPU count ({@code docker info}'s {@code NCPU}), asked once; the default CPU limit
   * of a container is at most this.
   */
  int cpus() {
    Integer known = cpus;
    if (known == null) {
      Integer n = client.infoCmd().exec().getNCPU();
      known = n != null && n > 0 ? n : Runtime.getRuntime().availableProcessors();
      cpus = known;
    }
    return known;
  }

  /**
   * Removes every container labelled {@code orchestra.run} whose owning Orchestra process is gone,
   * running or not. Leaves alone containers of live Orchestra processes and all others.
   *
   * @return the ids of the removed containers
   */
  public List<String> removeOrphans() {
    List<Container> labelled =
        client.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RUN)).exec();
    List<String> removed = new ArrayList<>();
    for (Container c : labelled) {
      Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
      String recorded = labels.get(OWNER);
      if (recorded == null || alive(recorded)) {
        continue;
      }
      try {
        client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        removed.add(c.getId());
        LOG.info(
            "removed container {} left by run {} (node {}, attempt {}) of a process that is gone",
            c.getId().substring(0, 12),
            labels.get(RUN),
            labels.get(NODE),
            labels.get(ATTEMPT));
      } catch (NotFoundException e) {
        // Removed meanwhile, e.g. by its own execution finishing.
      }
    }
    return removed;
  }

  DockerClient client() {
    return client;
  }

  String owner() {
    return owner;
  }

  String user() {
    return user;
  }

  String host() {
    return host;
  }

  /** {@code PID/START_MILLIS} of a process, or its pid alone when the OS does not say. */
  static String ownerOf(ProcessHandle process) {
    Optional<Instant> start = process.info().startInstant();
    return process.pid() + "/" + start.map(Instant::toEpochMilli).map(String::valueOf).orElse("");
  }

  /** Whether the process an {@code orchestra.owner} label names is still the one running. */
  static boolean alive(String owner) {
    int slash = owner.indexOf('/');
    long pid;
    try {
      pid = Long.parseLong(slash < 0 ? owner : owner.substring(0, slash));
    } catch (NumberFormatException e) {
      return true; // not ours to judge: leave it alone
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    String millis = slash < 0 ? "" : owner.substring(slash + 1);
    Optional<Instant> start = process.get().info().startInstant();
    if (millis.isEmpty() || start.isEmpty()) {
      return true;
    }
    long recorded = Long.parseLong(millis);
    return Math.abs(start.get().toEpochMilli() - recorded) <= START_TOLERANCE.toMillis();
  }

  @Override
  public void close() {
    closeQuietly(client);
  }

  private static void closeQuietly(DockerClient client) {
    try {
      client.close();
    } catch (IOException e) {
      LOG.debug("closing the Docker client failed: {}", e.toString());
    }
  }
}
