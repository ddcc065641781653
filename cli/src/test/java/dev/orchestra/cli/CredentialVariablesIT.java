package dev.orchestra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials given as {@code ORCHESTRA_CREDENTIAL_*} variables to a real {@code orchestra run} (a
 * child JVM): no template reads them, and no process the run starts inherits them — the node's own
 * process, a daemon it leaves, its check, its critic — and the git hooks a node writes into its
 * worktree never run. Each process writes its {@code /proc/self/environ} where the test reads it.
 */
class CredentialVariablesIT {
  private static final String PROBE = "probe-Vx81-secret-Kq2";
  private static final String OTHER = "other-Lm47-secret-Zp9";

  @TempDir Path dir;
  @TempDir Path out;

  private Map<String, String> env() {
    return Map.of(
        "ORCHESTRA_HOME", dir.resolve("home").toString(),
        "ORCHESTRA_CREDENTIAL_PROBE", PROBE,
        "ORCHESTRA_CREDENTIAL_OTHER", OTHER);
  }

  @Test
  void noProcessOfTheRunInheritsCredentialVariablesAndNodeHooksNeverRun() throws Exception {
    String dump = "tr '\\0' '\\n' < /proc/self/environ > \"$OUT/%s.env\"";
    Files.writeString(
        dir.resolve("probe.sh"),
        String.join(
            "\n",
            "if [ -n \"$ORCHESTRA_CRITIC\" ]; then",
            "  " + dump.formatted("critic"),
            "  echo '{\"pass\": true, \"reason\": \"fine\"}'",
            "  exit 0",
            "fi",
            dump.formatted("agent"),
            "setsid sh -c '" + dump.formatted("daemon").replace("'", "'\\''") + "; sleep 30' &",
            "i=0; while [ ! -s \"$OUT/daemon.env\" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1));"
                + " done",
            "mkdir -p .git/hooks",
            "for h in pre-commit commit-msg post-commit; do",
            "  printf '#!/bin/sh\\ntouch %s/hook-ran\\n' \"$OUT\" > .git/hooks/$h",
            "  chmod +x .git/hooks/$h",
            "done",
            "echo work > work.txt",
            ""));
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: credential-variables
        workspace: {repo: ., isolation: branch}
        nodes:
          probe:
            agent: command
            command: [sh, probe.sh]
            credentials: [{PROBE: probe}]
            env: {OUT: "%s"}
            checks:
              - run: tr '\\0' '\\n' < /proc/self/environ > "$OUT/check.env"
              - critic: "Is the work there?"
        """
            .formatted(out));
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern("probe.sh").addFilepattern("flow.yaml").call();
      git.commit().setMessage("probe").setAuthor("t", "t@example.com").setSign(false).call();
    }

    try (OrchestraProcess run = OrchestraProcess.start(dir, env(), "run", "flow.yaml", "--json")) {
      assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    String agent = Files.readString(out.resolve("agent.env"));
    assertThat(agent).contains("PROBE=" + PROBE);
    assertThat(Files.readString(out.resolve("daemon.env"))).contains("PROBE=" + PROBE);
    assertThat(Files.readString(out.resolve("critic.env"))).contains("PROBE=" + PROBE);
    String check = Files.readString(out.resolve("check.env"));
    assertThat(check).contains("OUT=" + out).doesNotContain(PROBE);
    for (String process : new String[] {"agent", "daemon", "check", "critic"}) {
      assertThat(Files.readString(out.resolve(process + ".env")))
          .as("the environment of the " + process)
          .doesNotContain("ORCHESTRA_CREDENTIAL_")
          .doesNotContain(OTHER);
    }
    assertThat(out.resolve("hook-ran")).as("a git hook the node wrote").doesNotExist();
  }

  @Test
  void runRefusesATemplateThatReadsACredentialVariableBeforeAnythingRuns() throws Exception {
    Files.writeString(
        dir.resolve("flow.yaml"),
        """
        version: 1
        name: template-probe
        nodes:
          leak:
            agent: command
            command: [sh, -c, "cat > leaked.txt"]
            prompt: "the key is {{ env.ORCHESTRA_CREDENTIAL_PROBE }}"
        """);

    try (OrchestraProcess run = OrchestraProcess.start(dir, env(), "run", "flow.yaml", "--json")) {
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr())
          .contains("flow.yaml:7:25: error: {{ env.ORCHESTRA_CREDENTIAL_PROBE }} cannot be read")
          .contains("credentials: [{PROBE: probe}]")
          .doesNotContain(PROBE);
      assertThat(run.events()).isEmpty();
    }
    assertThat(dir.resolve("leaked.txt")).doesNotExist();
  }
}
