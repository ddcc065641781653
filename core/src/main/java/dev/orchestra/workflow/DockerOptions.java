package dev.orchestra.workflow;

import java.util.List;

/**
 * Options for {@code executor: docker}. Absent parts are {@code null}.
 *
 * @param cpus CPU share, e.g. {@code 2} or {@code 0.5}
 * @param memory memory limit as Docker writes it, e.g. {@code 512m}
 * @param network {@code bridge} or {@code none}
 * @param mounts extra bind mounts {@code /host:/container[:ro|:rw]}
 */
public record DockerOptions(Double cpus, String memory, String network, List<String> mounts) {
  public DockerOptions {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }
}
