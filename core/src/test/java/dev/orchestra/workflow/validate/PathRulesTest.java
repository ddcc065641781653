package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.trust.Trust;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of paths that escape, as {@code orchestra validate} sees them: each is an
 * error at its line and column unless the workflow is trusted; what stays inside passes.
 */
class PathRulesTest {
  private static final String TRUST =
      "; if this is your own workflow on your own machine, run it with --trust-local";
  private static final String CHECKS_LOOK_INSIDE =
      "; a check looks at what the node leaves in its workspace, also for a trusted workflow:"
          + " write the path relative to the workspace";

  @TempDir Path tmp;
  Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(dir.resolve(".git"));
    fx = new Fixture(dir);
  }

  @Test
  void refusesWorkspacePathsThatLeadOutAsWritten() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a:
            agent: command
            command: "true"
            context:
              - file: ../OUTSIDE.txt
              - file: /etc/shadow
              - file: "../*.txt"
              - file: /proc/self/environ
              - file: "docs/*.md"
              - file: "{{ inputs.doc }}"
            outputs:
              up: {file: ../x}
              shadow: {file: /etc/shadow}
              host: {json: ../../../etc/hostname}
              fine: {file: out/fine.txt}
            checks:
              - exists: [../elsewhere, ok.txt]
              - junit: /var/reports/*.xml
        inputs:
          doc: {default: README.md}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:7:15: error: context file '../OUTSIDE.txt' of node 'a' leads out of the"
                + " workspace with '..'"
                + TRUST,
            "flow.yaml:8:15: error: context file '/etc/shadow' of node 'a' is an absolute path;"
                + " it must be relative to the workspace"
                + TRUST,
            "flow.yaml:9:15: error: context file '../*.txt' of node 'a' leads out of the workspace"
                + " with '..'"
                + TRUST,
            "flow.yaml:10:15: error: context file '/proc/self/environ' of node 'a' is an absolute"
                + " path; it must be relative to the workspace"
                + TRUST,
            "flow.yaml:14:18: error: output 'up' of node 'a' (../x) leads out of the workspace with"
                + " '..'"
                + TRUST,
            "flow.yaml:15:22: error: output 'shadow' of node 'a' (/etc/shadow) is an absolute path;"
                + " it must be relative to the workspace"
                + TRUST,
            "flow.yaml:16:20: error: output 'host' of node 'a' (../../../etc/hostname) leads out of"
                + " the workspace with '..'"
                + TRUST,
            "flow.yaml:19:18: error: exists glob '../elsewhere' of node 'a' leads out of the"
                + " workspace with '..'"
                + CHECKS_LOOK_INSIDE,
            "flow.yaml:20:16: error: junit glob '/var/reports/*.xml' of node 'a' is an absolute"
                + " path; it must be relative to the workspace"
                + CHECKS_LOOK_INSIDE);
  }

  @Test
  void refusesPromptFilesAndUsedWorkflowsOutsideTheRepositoryAlsoThroughALink() throws Exception {
    Path outside = Files.writeString(tmp.resolve("evil.yaml"), "version: 1\nnodes: {}\n");
    Files.createDirectories(dir.resolve("prompts"));
    Files.createSymbolicLink(dir.resolve("prompts/linked.md"), Path.of("/etc/passwd"));
    fx.write("prompts/ok.md", "Fine.");
    fx.write(
        ".orchestra/flow.yaml",
        """
        version: 1
        nodes:
          a: {prompt_file: /etc/passwd}
          b: {prompt_file: ../../etc/passwd}
          c: {prompt_file: ../prompts/linked.md}
          d: {prompt_file: ../prompts/ok.md}
          e: {uses: OUTSIDE}
        """
            .replace("OUTSIDE", outside.toString()));

    String repo = "the workflow's repository (" + dir.toRealPath() + ")";
    assertThat(fx.validationProblems(".orchestra/flow.yaml"))
        .containsExactly(
            ".orchestra/flow.yaml:3:20: error: prompt_file '/etc/passwd' is an absolute path; it"
                + " must be inside "
                + repo
                + TRUST,
            ".orchestra/flow.yaml:4:20: error: prompt_file '../../etc/passwd' leads out of "
                + repo
                + TRUST,
            ".orchestra/flow.yaml:5:20: error: prompt_file '../prompts/linked.md' resolves to"
                + " /etc/passwd through a symbolic link, outside "
                + repo
                + TRUST,
            ".orchestra/flow.yaml:7:13: error: node 'e' uses '"
                + outside
                + "', which is an absolute path; it must be inside "
                + repo
                + TRUST);
  }

  @Test
  void refusesDockerMountsOfHostPathsButNotOfTheWorkspace() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a:
            agent: command
            command: "true"
            executor: docker
            image: busybox
            docker: {mounts: ["/srv:/host:rw", "cache:/cache", "../up:/up:ro"]}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:8:23: error: docker mount '/srv:/host:rw' of node 'a' shares the host path"
                + " '/srv', which is an absolute path; it must be relative to the workspace; an"
                + " untrusted workflow may mount only paths inside its workspace, e.g."
                + " 'cache:/cache' (if this is your own workflow on your own machine, run it with"
                + " --trust-local)",
            "flow.yaml:8:56: error: docker mount '../up:/up:ro' of node 'a' shares the host path"
                + " '../up', which leads out of the workspace with '..'; an untrusted workflow may"
                + " mount only paths inside its workspace, e.g. 'cache:/cache' (if this is your own"
                + " workflow on your own machine, run it with --trust-local)");
  }

  @Test
  void trustsALocalWorkflowButStillRefusesAnOutputThatIsADeviceAndACheckLookingOutside() {
    fx.write("prompt.md", "Hi.");
    fx.write(
        "flow.yaml",
        """
        version: 1
        nodes:
          a:
            agent: command
            command: "true"
            context: [{file: /etc/hostname}, {file: ../x.txt}]
            outputs:
              zero: {file: /dev/zero}
              shadow: {file: /etc/shadow}
            checks: [{exists: ../x.txt}]
          b: {prompt_file: ../repo/prompt.md}
        """);

    assertThat(
            fx.validationProblems("flow.yaml", ValidationOptions.defaults().withTrust(Trust.LOCAL)))
        .containsExactly(
            "flow.yaml:8:20: error: output 'zero' of node 'a' (/dev/zero) is not a regular file (a"
                + " device, a FIFO or a socket); an output is read from a regular file the node"
                + " writes",
            "flow.yaml:10:23: error: exists glob '../x.txt' of node 'a' leads out of the workspace"
                + " with '..'"
                + CHECKS_LOOK_INSIDE);
  }

  @Test
  void refusesLogsBeyondTheUntrustedCeilingUnlessTrusted() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults: {agent: command, command: "true", logs: {max: unlimited}}
        nodes:
          small: {logs: {max: 64MiB}}
          ceiling: {logs: {max: 256m}}
          big: {logs: {max: 1g}}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:2:57: error: logs 'max: unlimited' of 'defaults' goes beyond what an"
                + " untrusted workflow may record: 256.0 MiB of each stream of an attempt; ask for"
                + " at most 256MiB; if this is your own workflow on your own machine, run it with"
                + " --trust-local",
            "flow.yaml:6:21: error: logs 'max: 1024.0 MiB' of node 'big' goes beyond what an"
                + " untrusted workflow may record: 256.0 MiB of each stream of an attempt; ask for"
                + " at most 256MiB; if this is your own workflow on your own machine, run it with"
                + " --trust-local");
    assertThat(
            fx.validationProblems("flow.yaml", ValidationOptions.defaults().withTrust(Trust.LOCAL)))
        .isEmpty();
  }

  @Test
  void refusesContainersLooserThanTheDefaultUnlessTrusted() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        defaults: {agent: command, command: "true", executor: docker, image: busybox}
        nodes:
          tight: {docker: {capabilities: [CHOWN], pids_limit: 64, memory: 64g}}
          raw: {docker: {capabilities: [CHOWN, NET_RAW, SYS_ADMIN]}}
          setuid: {docker: {no_new_privileges: false}}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:40: error: docker capabilities NET_RAW, SYS_ADMIN of node 'raw' go beyond"
                + " the default (CHOWN, DAC_OVERRIDE, FOWNER, SETGID, SETUID); an untrusted"
                + " workflow's containers may keep fewer capabilities, not more (if this is your"
                + " own workflow on your own machine, run it with --trust-local)",
            "flow.yaml:6:40: error: 'no_new_privileges: false' of node 'setuid' would let"
                + " processes in an untrusted workflow's container gain privileges through setuid"
                + " binaries; remove it (if this is your own workflow on your own machine, run it"
                + " with --trust-local)");
    assertThat(
            fx.validationProblems("flow.yaml", ValidationOptions.defaults().withTrust(Trust.LOCAL)))
        .isEmpty();
  }
}
