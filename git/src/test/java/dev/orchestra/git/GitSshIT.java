package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.orchestra.engine.Engine;
import dev.orchestra.engine.RunOptions;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.event.RunStatus;
import dev.orchestra.secret.Credentials;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clone, fetch and push over ssh against a real OpenSSH server ({@link SshServer}) serving the
 * fixture's bare remote, with the private key from the credential store.
 */
class GitSshIT {
  @TempDir Path dir;
  GitFixture f;
  SshServer sshd;
  Path clientKey;
  String keyText;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(
        Files.isExecutable(SshServer.SSHD),
        "no " + SshServer.SSHD + ": install openssh-server (bin/test does when run as root)");
    f = new GitFixture(dir);
    clientKey = SshServer.keygen(dir.resolve("deploy_key"));
    // As `orchestra credentials add` stores it from stdin: without the final newline.
    keyText = Files.readString(clientKey).strip();
    Path authorized = dir.resolve("authorized_keys");
    Files.copy(Path.of(clientKey + ".pub"), authorized);
    sshd = SshServer.start(dir.resolve("sshd"), authorized);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (sshd != null) {
      sshd.close();
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  void pushOverSshLandsTheBranchesInTheBareRemoteAndTheKeyIsInNoRecord() throws Exception {
    Path knownHosts = f.write("known_hosts", sshd.knownHostsLine());

    RunResult r = run(keyText, knownHosts);

    assertThat(r.status()).as(r.reason() + "\n" + sshd.log()).isEqualTo(RunStatus.SUCCEEDED);
    String prefix = "orchestra/" + r.runId() + "/";
    assertThat(GitFixture.branches(f.remote, prefix))
        .containsExactlyInAnyOrder(prefix + "a", prefix + "b", prefix + "_result");
    assertThat(GitFixture.file(f.remote, prefix + "_result", "b.txt")).isEqualTo("b\n");
    assertThat(GitFixture.head(f.remote, "main").getShortMessage()).isEqualTo("initial");
    assertThat(keyLines()).isNotEmpty();
    for (String line : keyLines()) {
      assertThat(r.toString()).doesNotContain(line);
      assertThat(filesContaining(line)).isEmpty();
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowFailsNamingTheUrlAndNotTheKey() throws Exception {
    Path knownHosts = f.write("known_hosts", sshd.knownHostsLine());
    String otherKey = Files.readString(SshServer.keygen(dir.resolve("other_key")));

    RunResult r = run(otherKey, knownHosts);

    assertThat(r.status()).isNotEqualTo(RunStatus.SUCCEEDED);
    assertThat(r.nodes().get("a").status()).isEqualTo(NodeStatus.ERROR);
    String reason = r.nodes().get("a").reason();
    assertThat(reason)
        .contains("cannot clone workspace repo '" + url() + "'")
        .contains("the ssh key of workspace 'credentials' was not accepted");
    for (String line : otherKey.lines().toList()) {
      if (line.length() > 20) {
        assertThat(reason).doesNotContain(line);
      }
    }
    assertThat(GitFixture.branches(f.remote, "orchestra/")).isEmpty();
  }

  @Test
  void anUnknownHostIsRefusedNamingTheHostAndHowToTrustIt() throws Exception {
    Path knownHosts = f.write("known_hosts", "");

    RunResult r = run(keyText, knownHosts);

    assertThat(r.nodes().get("a").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(r.nodes().get("a").reason())
        .contains("ssh host [127.0.0.1]:" + sshd.port + " is not in " + knownHosts)
        .contains("SHA256:")
        .contains("ssh-keyscan -p " + sshd.port + " 127.0.0.1 >> " + knownHosts);
    assertThat(Files.readString(knownHosts)).isEmpty();
  }

  @Test
  void aHostWhoseKeyChangedIsRefusedAndAHashedEntryForItsRealKeyIsAccepted() throws Exception {
    String otherHostKey =
        Files.readString(Path.of(SshServer.keygen(dir.resolve("impostor")) + ".pub")).trim();
    Path knownHosts =
        f.write("known_hosts", "[127.0.0.1]:" + sshd.port + " " + otherHostKey + "\n");

    RunResult refused = run(keyText, knownHosts);

    assertThat(refused.nodes().get("a").reason())
        .contains("ssh host [127.0.0.1]:" + sshd.port + " presented key SHA256:")
        .contains("which is not the key " + knownHosts + " lists for it");

    Files.writeString(knownHosts, sshd.knownHostsLine());
    SshServer.hash(knownHosts);
    assertThat(Files.readString(knownHosts)).startsWith("|1|");

    RunResult accepted = run(keyText, knownHosts);

    assertThat(accepted.status()).as(accepted.reason()).isEqualTo(RunStatus.SUCCEEDED);
  }

  private String url() {
    return "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port + f.remote;
  }

  private RunResult run(String key, Path knownHosts) throws InterruptedException {
    Credentials creds = Credentials.from(Map.of("ORCHESTRA_CREDENTIAL_DEPLOY_KEY", key));
    try (Engine engine =
        Engine.builder()
            .store(f.store)
            .baseDirectory(f.user)
            .workspaces(new GitWorkspaces(f.user, f.store::runDirectory, creds, knownHosts))
            .build()) {
      var wf =
          Workflows.load(
              f.write(
                  "flow.yaml",
                  """
                  version: 1
                  name: over-ssh
                  defaults: {agent: command}
                  workspace:
                    repo: "%s"
                    ref: main
                    isolation: branch
                    push: true
                    credentials: deploy_key
                  nodes:
                    a: {command: "echo a > a.txt; echo made a"}
                    b: {needs: [a], command: "echo b > b.txt; echo made b"}
                  """
                      .formatted(url())),
              Map.of());
      return engine.start(wf, RunOptions.defaults()).await(Duration.ofMinutes(2)).orElseThrow();
    }
  }

  /** The lines of the private key's body (the secret part of the text). */
  private List<String> keyLines() {
    return keyText.lines().filter(l -> !l.startsWith("-----") && l.length() > 20).toList();
  }

  /** Files under the run store whose text contains {@code text}. */
  private List<Path> filesContaining(String text) throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                try {
                  return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)
                      .contains(text);
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }
}
