package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.ExecutorKind;
import dev.orchestra.workflow.NodeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node's container may be given, checked when the node starts whatever validation said
 * (docs/security.md, "Containers"): the host side of each docker {@code mounts} entry passes the
 * path rule of the node's workspace, and an untrusted run's container keeps no capability beyond
 * the defaults and may not allow new privileges. A relative host path is resolved against the
 * workspace, so the executor is handed absolute paths only.
 */
final class ContainerRules {
  private ContainerRules() {}

  /**
   * {@code spec} with its mounts' host paths resolved and checked; {@code spec} itself when it runs
   * no container or mounts nothing.
   *
   * @throws OrchestraException naming the mount and why it is refused
   */
  static NodeSpec confined(String nodeId, NodeSpec spec, WorkspacePaths files) {
    DockerOptions docker = spec.docker();
    if (spec.executorOrDefault() != ExecutorKind.DOCKER || docker == null) {
      return spec;
    }
    if (!files.trust().isLocal()) {
      if (!docker.addedCapabilities().isEmpty()) {
        throw new OrchestraException(
            "node '"
                + nodeId
                + "' asks its container to keep the capabilities "
                + String.join(", ", docker.addedCapabilities())
                + ", beyond the default; an untrusted run's containers may keep fewer, not more; "
                + Trust.HOW_TO_TRUST);
      }
      if (Boolean.FALSE.equals(docker.noNewPrivileges())) {
        throw new OrchestraException(
            "node '"
                + nodeId
                + "' asks for 'no_new_privileges: false', which an untrusted run's container may"
                + " not have; "
                + Trust.HOW_TO_TRUST);
      }
    }
    if (docker.mounts().isEmpty()) {
      return spec;
    }
    List<String> mounts = new ArrayList<>(docker.mounts().size());
    for (String mount : docker.mounts()) {
      int colon = mount.indexOf(':');
      String host = mount.substring(0, colon);
      String label = "docker mount '" + mount + "' of node '" + nodeId + "'";
      WorkspacePaths.Resolved r = files.resolve(host);
      if (r instanceof WorkspacePaths.Refused refused) {
        throw new OrchestraException(label + ": the host path '" + host + "' " + refused.reason());
      }
      Path path = ((WorkspacePaths.Inside) r).path();
      if (!Files.exists(path)) {
        throw new OrchestraException(
            label + ": the host path " + path + " does not exist; create it or drop the mount");
      }
      mounts.add(path + mount.substring(colon));
    }
    return spec.toBuilder().docker(docker.withMounts(mounts)).build();
  }
}
