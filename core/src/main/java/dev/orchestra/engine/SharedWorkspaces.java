package dev.orchestra.engine;

import dev.orchestra.OrchestraException;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Every node works in one directory: {@code workspace.repo} when it names a local directory
 * (relative to the base directory), else the base directory itself (the current directory for the
 * CLI). Git URLs and {@code isolation: branch} need the git workspace, which is not in this build.
 * Stateless and thread-safe.
 */
public final class SharedWorkspaces implements WorkspaceProvider {
  private final Path base;

  public SharedWorkspaces(Path base) {
    this.base = base.toAbsolutePath().normalize();
  }

  /** What {@link #prepare} would refuse; it changes nothing, so it is simply asked. */
  @Override
  public Optional<String> unavailable(WorkspaceSpec spec) {
    try {
      prepare("preflight", "preflight", spec);
      return Optional.empty();
    } catch (OrchestraException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public Path prepare(String runId, String nodeId, WorkspaceSpec spec) {
    if (spec.isolation() == dev.orchestra.workflow.Isolation.BRANCH) {
      throw new OrchestraException(
          "workspace isolation 'branch' needs the git workspace, which is not available in this"
              + " build; use 'isolation: shared'");
    }
    String repo = spec.repo();
    if (repo == null || repo.isBlank()) {
      return base;
    }
    if (repo.contains("://") || repo.startsWith("git@")) {
      throw new OrchestraException(
          "workspace repo '"
              + repo
              + "' is a git URL; cloning needs the git workspace, which is not available in this"
              + " build; use a local directory");
    }
    Path dir = base.resolve(repo).normalize();
    if (!Files.isDirectory(dir)) {
      throw new OrchestraException(
          "workspace repo '" + repo + "' is not a directory (resolved to " + dir + ")");
    }
    return dir;
  }
}
