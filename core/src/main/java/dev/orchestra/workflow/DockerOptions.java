package dev.orchestra.workflow;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Options for {@code executor: docker}. Absent parts are {@code null}. The constructor checks each
 * part against the patterns below, which the parser uses to report a bad value at its place.
 *
 * @param cpus CPU share, e.g. {@code 2} or {@code 0.5}; {@code > 0}
 * @param memory memory limit as Docker writes it, e.g. {@code 512m}; matches {@link #MEMORY}
 * @param network one of {@link #NETWORKS}
 * @param mounts extra bind mounts {@code /host:/container[:ro|:rw]}, each matching {@link #MOUNT}
 */
public record DockerOptions(Double cpus, String memory, String network, List<String> mounts) {
  /** The networks a node's container may join. */
  public static final List<String> NETWORKS = List.of("bridge", "none");

  /** A memory size as Docker writes it: a number and an optional unit {@code b, k, m, g}. */
  public static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?[bkmgBKMG]?");

  /**
   * A bind mount: a host path, an absolute container path, optionally {@code :ro} or {@code :rw}.
   */
  public static final Pattern MOUNT = Pattern.compile("[^:]+:/[^:]*(:(ro|rw))?");

  public DockerOptions {
    if (cpus != null && !(cpus > 0 && Double.isFinite(cpus))) {
      throw new IllegalArgumentException("docker cpus must be > 0, was " + cpus);
    }
    if (memory != null && !MEMORY.matcher(memory).matches()) {
      throw new IllegalArgumentException(
          "docker memory must be a size such as 512m or 4g, was \"" + memory + "\"");
    }
    if (network != null && !NETWORKS.contains(network)) {
      throw new IllegalArgumentException(
          "docker network must be one of " + String.join(", ", NETWORKS) + ", was " + network);
    }
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    for (String mount : mounts) {
      if (!MOUNT.matcher(mount).matches()) {
        throw new IllegalArgumentException(
            "docker mount must look like /host/path:/container/path[:ro|:rw], was " + mount);
      }
    }
  }

  /** These options with {@code entries} as the mounts. */
  public DockerOptions withMounts(List<String> entries) {
    return new DockerOptions(cpus, memory, network, entries);
  }
}
