package dev.orchestra.workflow.validate;

import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.DockerOptions;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an untrusted workflow's containers may be given (docs/security.md, "Containers"): mounts of
 * paths inside the workspace only, written relative to it, and no more than the least-privilege
 * defaults: capabilities beyond {@link DockerOptions#DEFAULT_CAPABILITIES} and {@code
 * no_new_privileges: false} need a trusted run. Resource limits may be set either way.
 */
final class DockerRules {
  private DockerRules() {}

  static void check(ValidationScope scope) {
    if (scope.validation().options().trust().isLocal()) {
      return;
    }
    node(scope, scope.workflow().defaults().docker(), "/defaults", "'defaults'");
    for (Map.Entry<String, NodeSpec> e : scope.workflow().nodes().entrySet()) {
      node(
          scope,
          e.getValue().docker(),
          SourceMap.pointer("nodes", e.getKey()),
          "node '" + e.getKey() + "'");
    }
  }

  private static void node(ValidationScope scope, DockerOptions docker, String at, String owner) {
    if (docker == null) {
      return;
    }
    String how = " (" + Trust.HOW_TO_TRUST + ")";
    for (int i = 0; i < docker.mounts().size(); i++) {
      String mount = docker.mounts().get(i);
      String host = mount.substring(0, mount.indexOf(':'));
      Optional<String> why =
          WorkspacePaths.refusedAsWritten(host, Trust.UNTRUSTED, PathRules.WORKSPACE);
      if (why.isPresent()) {
        scope.atValue(
            at + "/docker/mounts/" + i,
            "docker mount '"
                + mount
                + "' of "
                + owner
                + " shares the host path '"
                + host
                + "', which "
                + why.get()
                + "; an untrusted workflow may mount only paths inside its workspace, e.g."
                + " 'cache:/cache'"
                + how);
      }
    }
    List<String> added = docker.addedCapabilities();
    if (!added.isEmpty()) {
      scope.atValue(
          at + "/docker/capabilities/" + docker.capabilities().indexOf(added.get(0)),
          "docker capabilities "
              + String.join(", ", added)
              + " of "
              + owner
              + " go beyond the default ("
              + String.join(", ", DockerOptions.DEFAULT_CAPABILITIES)
              + "); an untrusted workflow's containers may keep fewer capabilities, not more"
              + how);
    }
    if (Boolean.FALSE.equals(docker.noNewPrivileges())) {
      scope.atValue(
          at + "/docker/no_new_privileges",
          "'no_new_privileges: false' of "
              + owner
              + " would let processes in an untrusted workflow's container gain privileges"
              + " through setuid binaries; remove it"
              + how);
    }
  }
}
