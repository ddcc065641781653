package dev.orchestra.cli;

import dev.orchestra.trust.Trust;
import picocli.CommandLine.Option;

/**
 * {@code --trust-local}, for {@code validate}, {@code graph}, {@code run} and {@code resume}: the
 * one way to relax the path, URL and container rules (docs/security.md). A workflow file cannot ask
 * for it itself, since the file is what is not trusted.
 */
final class TrustOption {
  @Option(
      names = "--trust-local",
      description = {
        "Trust this workflow as your own: its paths may lead out of the workspace and its"
            + " repository, its URLs may reach loopback and private addresses, its containers may"
            + " mount host paths and get more capabilities.",
        "Never for a workflow you did not write (a pull request, a downloaded project)."
      })
  boolean local;

  Trust trust() {
    return local ? Trust.LOCAL : Trust.UNTRUSTED;
  }
}
