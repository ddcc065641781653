package dev.orchestra.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Options for {@code executor: docker}. Absent parts are {@code null} (and {@code mounts} empty);
 * {@link #withDefaults()} fills them with the least-privilege defaults the Docker executor applies
 * (docs/containers.md). The constructor checks each part against the patterns and sets below, which
 * the parser uses to report a bad value at its place.
 *
 * @param cpus CPU share, e.g. {@code 2} or {@code 0.5}; {@code > 0}; default {@link #DEFAULT_CPUS}
 *     (or the engine's CPU count if it has fewer)
 * @param memory memory limit as Docker writes it, e.g. {@code 512m}; matches {@link #MEMORY};
 *     default {@link #DEFAULT_MEMORY}
 * @param network one of {@link #NETWORKS}
 * @param mounts extra bind mounts {@code HOST:/container[:ro|:rw]}, each matching {@link #MOUNT}
 * @param pidsLimit the most processes and threads the container may hold; {@code > 0}; default
 *     {@link #DEFAULT_PIDS_LIMIT}
 * @param capabilities the Linux capabilities the container keeps, every other one dropped; names
 *     from {@link #CAPABILITIES}, upper case without {@code CAP_}; default {@link
 *     #DEFAULT_CAPABILITIES}
 * @param noNewPrivileges whether no process in the container can gain privileges (setuid binaries,
 *     file capabilities); default {@code true}
 */
public record DockerOptions(
    Double cpus,
    String memory,
    String network,
    List<String> mounts,
    Long pidsLimit,
    List<String> capabilities,
    Boolean noNewPrivileges) {
  /** The networks a node's container may join. */
  public static final List<String> NETWORKS = List.of("bridge", "none");

  /** A memory size as Docker writes it: a number and an optional unit {@code b, k, m, g}. */
  public static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?[bkmgBKMG]?");

  /**
   * A bind mount: a host path (relative to the workspace, or absolute), an absolute container path,
   * optionally {@code :ro} or {@code :rw}.
   */
  public static final Pattern MOUNT = Pattern.compile("[^:]+:/[^:]*(:(ro|rw))?");

  /** CPUs a container gets unless its node says otherwise. */
  public static final double DEFAULT_CPUS = 2;

  /** Memory a container gets unless its node says otherwise (swap is limited to the same). */
  public static final String DEFAULT_MEMORY = "4g";

  /** Processes and threads a container may hold unless its node says otherwise. */
  public static final long DEFAULT_PIDS_LIMIT = 1024;

  /**
   * The capabilities a container keeps by default: what a process running as root in it needs to
   * install packages and work on files it does not own (an image's tools, a workspace written by
   * another uid). Docker's own default adds {@code FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW,
   * SETFCAP, SETPCAP, SYS_CHROOT, AUDIT_WRITE}; an agent needs none of them.
   */
  public static final List<String> DEFAULT_CAPABILITIES =
      List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID");

  /** The Linux capabilities Docker knows. */
  public static final Set<String> CAPABILITIES =
      Set.of(
          "AUDIT_CONTROL",
          "AUDIT_READ",
          "AUDIT_WRITE",
          "BLOCK_SUSPEND",
          "BPF",
          "CHECKPOINT_RESTORE",
          "CHOWN",
          "DAC_OVERRIDE",
          "DAC_READ_SEARCH",
          "FOWNER",
          "FSETID",
          "IPC_LOCK",
          "IPC_OWNER",
          "KILL",
          "LEASE",
          "LINUX_IMMUTABLE",
          "MAC_ADMIN",
          "MAC_OVERRIDE",
          "MKNOD",
          "NET_ADMIN",
          "NET_BIND_SERVICE",
          "NET_BROADCAST",
          "NET_RAW",
          "PERFMON",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYSLOG",
          "SYS_ADMIN",
          "SYS_BOOT",
          "SYS_CHROOT",
          "SYS_MODULE",
          "SYS_NICE",
          "SYS_PACCT",
          "SYS_PTRACE",
          "SYS_RAWIO",
          "SYS_RESOURCE",
          "SYS_TIME",
          "SYS_TTY_CONFIG",
          "WAKE_ALARM");

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
            "docker mount must look like HOST:/container/path[:ro|:rw], was " + mount);
      }
    }
    if (pidsLimit != null && pidsLimit < 1) {
      throw new IllegalArgumentException("docker pids_limit must be >= 1, was " + pidsLimit);
    }
    if (capabilities != null) {
      List<String> names = new ArrayList<>(capabilities.size());
      for (String c : capabilities) {
        String name = capability(c);
        if (!CAPABILITIES.contains(name)) {
          throw new IllegalArgumentException("unknown docker capability, was " + c);
        }
        if (!names.contains(name)) {
          names.add(name);
        }
      }
      capabilities = List.copyOf(names);
    }
  }

  /** Options with only the resource limits and network of before the least-privilege keys. */
  public DockerOptions(Double cpus, String memory, String network, List<String> mounts) {
    this(cpus, memory, network, mounts, null, null, null);
  }

  /** {@code CAP_NET_RAW}, {@code net_raw} as Docker's name for it: {@code NET_RAW}. */
  public static String capability(String written) {
    String upper = written.strip().toUpperCase(Locale.ROOT);
    return upper.startsWith("CAP_") ? upper.substring(4) : upper;
  }

  /** These options with {@code entries} as the mounts. */
  public DockerOptions withMounts(List<String> entries) {
    return new DockerOptions(
        cpus, memory, network, entries, pidsLimit, capabilities, noNewPrivileges);
  }

  /**
   * These options with every absent limit set to its default: what a container of the node gets
   * (cpus are further capped at the engine's CPU count).
   */
  public DockerOptions withDefaults() {
    return new DockerOptions(
        cpus != null ? cpus : DEFAULT_CPUS,
        memory != null ? memory : DEFAULT_MEMORY,
        network != null ? network : NETWORKS.get(0),
        mounts,
        pidsLimit != null ? pidsLimit : DEFAULT_PIDS_LIMIT,
        capabilities != null ? capabilities : DEFAULT_CAPABILITIES,
        noNewPrivileges != null ? noNewPrivileges : Boolean.TRUE);
  }

  /** The capabilities kept beyond {@link #DEFAULT_CAPABILITIES}; empty when none are. */
  public List<String> addedCapabilities() {
    return capabilities == null
        ? List.of()
        : capabilities.stream().filter(c -> !DEFAULT_CAPABILITIES.contains(c)).toList();
  }

  /**
   * What the container is given, for {@code runs show} and messages: {@code cpus 2, memory 4g,
   * network bridge, pids 1024, capabilities CHOWN DAC_OVERRIDE FOWNER SETGID SETUID,
   * no-new-privileges}.
   */
  public String describe() {
    DockerOptions d = withDefaults();
    return "cpus "
        + (d.cpus() == Math.rint(d.cpus()) ? String.valueOf(d.cpus().longValue()) : d.cpus())
        + ", memory "
        + d.memory()
        + ", network "
        + d.network()
        + ", pids "
        + d.pidsLimit()
        + ", capabilities "
        + (d.capabilities().isEmpty() ? "none" : String.join(" ", d.capabilities()))
        + (d.noNewPrivileges() ? ", no-new-privileges" : ", new privileges allowed")
        + (d.mounts().isEmpty() ? "" : ", mounts " + String.join(" ", d.mounts()));
  }
}
