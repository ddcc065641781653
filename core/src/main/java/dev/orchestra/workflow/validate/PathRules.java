package dev.orchestra.workflow.validate;

import dev.orchestra.trust.BoundedRead;
import dev.orchestra.trust.Trust;
import dev.orchestra.trust.WorkspacePaths;
import dev.orchestra.workflow.CheckSpec;
import dev.orchestra.workflow.ContextSource;
import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.OutputSpec;
import dev.orchestra.workflow.SourceMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The paths a node names in its workspace, as written (docs/security.md, "Paths and workspaces"):
 * context files and globs and outputs must be relative and stay inside the workspace unless the
 * workflow is trusted, {@code exists} and {@code junit} globs always; an absolute output that
 * exists must be a regular file (a device or a FIFO would hang the read or exhaust memory).
 * Templates are checked when the run renders them; symbolic links too, since the workspace is only
 * known then. {@code prompt_file} and {@code uses} are {@link NodeRules}' and {@link
 * CompositionRules}', docker {@code mounts} {@link DockerRules}'.
 */
final class PathRules {
  static final String WORKSPACE = "the workspace";

  private PathRules() {}

  static void check(ValidationScope scope) {
    node(scope, scope.workflow().defaults(), "/defaults", "'defaults'");
    for (Map.Entry<String, NodeSpec> e : scope.workflow().nodes().entrySet()) {
      node(
          scope, e.getValue(), SourceMap.pointer("nodes", e.getKey()), "node '" + e.getKey() + "'");
    }
  }

  private static void node(ValidationScope scope, NodeSpec node, String at, String owner) {
    Trust trust = scope.validation().options().trust();
    List<ContextSource> context = node.contextOrEmpty();
    for (int i = 0; i < context.size(); i++) {
      if (context.get(i) instanceof ContextSource.FileContext f) {
        String glob = f.glob();
        String subject = "context file '" + glob + "' of " + owner;
        written(scope, trust, at + "/context/" + i + "/file", subject, glob);
      }
    }
    for (Map.Entry<String, OutputSpec> o : node.outputsOrEmpty().entrySet()) {
      String key = o.getValue() instanceof OutputSpec.JsonOutput ? "json" : "file";
      String pointer = at + SourceMap.pointer("outputs", o.getKey(), key);
      String path = o.getValue().path();
      String subject = "output '" + o.getKey() + "' of " + owner + " (" + path + ")";
      if (!written(scope, trust, pointer, subject, path)) {
        notRegular(scope, pointer, subject, path);
      }
    }
    List<CheckSpec> checks = node.checksOrEmpty();
    for (int i = 0; i < checks.size(); i++) {
      String pointer = at + "/checks/" + i;
      if (checks.get(i) instanceof CheckSpec.Exists exists) {
        for (int j = 0; j < exists.globs().size(); j++) {
          String glob = exists.globs().get(j);
          String subject = "exists glob '" + glob + "' of " + owner;
          checkGlob(scope, pointer + "/exists/" + j, subject, glob);
        }
      } else if (checks.get(i) instanceof CheckSpec.Junit junit) {
        String subject = "junit glob '" + junit.glob() + "' of " + owner;
        checkGlob(scope, pointer + "/junit", subject, junit.glob());
      }
    }
  }

  /**
   * Reports {@code path} when it leads out of the workspace as written; whether it did.
   *
   * @param subject what the path is, for the message ({@code context file 'x' of node 'a'})
   */
  private static boolean written(
      ValidationScope scope, Trust trust, String pointer, String subject, String path) {
    Optional<String> why = WorkspacePaths.refusedAsWritten(path, trust, WORKSPACE);
    why.ifPresent(
        reason -> scope.atValue(pointer, subject + " " + reason + "; " + Trust.HOW_TO_TRUST));
    return why.isPresent();
  }

  /**
   * Reports a check's glob that is absolute or leads out with {@code ..}, whatever the trust: a
   * check matches files under the node's workspace only (it is what the agent is to leave there),
   * so even {@code --trust-local} would not make it look elsewhere.
   */
  private static void checkGlob(
      ValidationScope scope, String pointer, String subject, String glob) {
    WorkspacePaths.refusedAsWritten(glob, Trust.UNTRUSTED, WORKSPACE)
        .ifPresent(
            reason ->
                scope.atValue(
                    pointer,
                    subject
                        + " "
                        + reason
                        + "; a check looks at what the node leaves in its workspace, also for a"
                        + " trusted workflow: write the path relative to the workspace"));
  }

  /** Reports an absolute {@code path} that exists and is not a regular file. */
  private static void notRegular(
      ValidationScope scope, String pointer, String subject, String path) {
    if (path.contains("{{") || !path.strip().startsWith("/")) {
      return;
    }
    try {
      String kind =
          BoundedRead.kind(Files.readAttributes(Path.of(path.strip()), BasicFileAttributes.class));
      if (kind != null) {
        scope.atValue(
            pointer,
            subject + " " + kind + "; an output is read from a regular file the node writes");
      }
    } catch (IOException | RuntimeException e) {
      // Missing now is fine: the node is to write it.
    }
  }
}
