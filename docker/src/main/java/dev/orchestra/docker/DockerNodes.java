package dev.orchestra.docker;

import dev.orchestra.exec.Executor;
import dev.orchestra.workflow.NodeSpec;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker executors of one Orchestra process, connecting on first use: a run without {@code
 * executor: docker} nodes never needs an engine. The first connection removes the containers that
 * Orchestra processes which are gone left behind ({@link DockerRuntime#removeOrphans()}), before
 * any container of this process starts.
 *
 * <pre>{@code
 * try (DockerNodes docker = DockerNodes.onDemand()) {
 *   Engine.builder().nodeExecutor(ExecutorKind.DOCKER, docker)...
 * }
 * }</pre>
 *
 * <p>Thread-safe: nodes on several worker threads may ask at once; they share one connection.
 */
public final class DockerNodes implements Function<NodeSpec, Executor>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DockerNodes.class);

  private final Supplier<DockerRuntime> connect;
  private DockerRuntime runtime; // guarded by this

  private DockerNodes(Supplier<DockerRuntime> connect) {
    this.connect = connect;
  }

  /** Connects with {@link DockerRuntime#connect()} when the first Docker node runs. */
  public static DockerNodes onDemand() {
    return new DockerNodes(DockerRuntime::connect);
  }

  /** Connects with {@code connect} when the first Docker node runs. */
  public static DockerNodes onDemand(Supplier<DockerRuntime> connect) {
    return new DockerNodes(connect);
  }

  /**
   * The executor for {@code node}.
   *
   * @throws dev.orchestra.OrchestraException when the engine cannot be reached or the node names no
   *     image
   */
  @Override
  public Executor apply(NodeSpec node) {
    return runtime().executor(node);
  }

  /** The connection, made (and orphans removed) on the first call. */
  public synchronized DockerRuntime runtime() {
    if (runtime == null) {
      DockerRuntime connected = connect.get();
      int removed = connected.removeOrphans().size();
      if (removed > 0) {
        LOG.info(
            "removed {} container(s) left behind by Orchestra processes that are gone", removed);
      }
      runtime = connected;
    }
    return runtime;
  }

  @Override
  public synchronized void close() {
    if (runtime != null) {
      runtime.close();
      runtime = null;
    }
  }
}
