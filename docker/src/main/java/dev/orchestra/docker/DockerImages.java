package dev.orchestra.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.NodeSpec;
import java.util.Optional;

/**
 * The pre-flight check of {@code executor: docker} nodes: whether the engine answers and the node's
 * image is on this machine (Orchestra never pulls). Reads only, apart from connecting (which
 * removes the containers of Orchestra processes that are gone, as the first Docker node would).
 * Thread-safe.
 */
public final class DockerImages {
  private DockerImages() {}

  /**
   * Why {@code node} cannot run in a container here, with the remedy; empty when it can.
   *
   * @param nodes the run's connection, made on the first call
   */
  public static Optional<String> unavailable(DockerNodes nodes, NodeSpec node) {
    String image = node.image();
    if (image == null || image.isBlank()) {
      return Optional.of(
          "it has 'executor: docker' but no 'image'; add e.g. 'image: orchestra-agent:latest'");
    }
    DockerRuntime runtime;
    try {
      runtime = nodes.runtime();
    } catch (OrchestraException e) {
      return Optional.of(e.getMessage());
    }
    try {
      runtime.client().inspectImageCmd(image).exec();
      return Optional.empty();
    } catch (NotFoundException e) {
      return Optional.of(
          "the Docker image '"
              + image
              + "' is not on this machine; build it (see docker/Dockerfile) or `docker pull "
              + image
              + "`");
    } catch (DockerException e) {
      return Optional.of("the Docker engine cannot tell about image '" + image + "': " + e);
    }
  }
}
