package dev.orchestra.trust;

/**
 * How far a run trusts the workflow it runs (docs/security.md). The workflow file never chooses:
 * whoever starts the run does ({@code orchestra run --trust-local}), and front ends that run
 * content from others (pull requests, webhooks, the server) always use {@link #UNTRUSTED}.
 */
public enum Trust {
  /**
   * The default: every path a workflow names stays inside the workspace (the workflow's repository
   * for {@code prompt_file} and {@code uses}) after symbolic links are resolved, {@code context:
   * url} reaches only public addresses, docker {@code mounts} share only paths inside the
   * workspace, and a node's container may be made tighter than the default, not looser.
   */
  UNTRUSTED,

  /**
   * The user's own workflow on the user's own machine: paths may lead anywhere the user can read,
   * URLs may be on loopback and private networks, mounts may share any host path, and containers
   * may be given more capabilities. Limits that keep Orchestra itself working (regular files only,
   * size caps, timeouts) still hold.
   */
  LOCAL;

  /** Whether the path, URL and mount rules are relaxed. */
  public boolean isLocal() {
    return this == LOCAL;
  }

  /** What a refusal adds so that a user who does trust the workflow knows the way out. */
  public static final String HOW_TO_TRUST =
      "if this is your own workflow on your own machine, run it with --trust-local";
}
