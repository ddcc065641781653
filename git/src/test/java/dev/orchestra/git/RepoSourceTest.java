package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.Credentials;
import dev.orchestra.workflow.Isolation;
import dev.orchestra.workflow.WorkspaceSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoSourceTest {
  @TempDir Path dir;

  @Test
  void recognisesSshUrlsAndScpLikeAddressesButNotHttpsOrPaths() {
    assertThat(source("ssh://git@example.com:2222/team/app.git").isSsh()).isTrue();
    assertThat(source("git+ssh://git@example.com/team/app.git").isSsh()).isTrue();
    assertThat(source("git@github.com:team/app.git").isSsh()).isTrue();
    assertThat(source("https://example.com/team/app.git").isSsh()).isFalse();
    assertThat(source("file:///srv/app.git").isSsh()).isFalse();
    assertThat(source("some/dir").isSsh()).isFalse();
  }

  @Test
  void aCredentialThatIsNoKeyIsRefusedWithoutQuotingIt() {
    WorkspaceSpec spec = spec("ssh://git@example.com/app.git", "deploy");
    Credentials store =
        Credentials.from(Map.of("ORCHESTRA_CREDENTIAL_DEPLOY", "hunter2-not-a-key-at-all"));

    assertThatThrownBy(() -> RepoSource.of(spec, dir).access(spec, store, dir.resolve("kh")))
        .isInstanceOf(OrchestraException.class)
        .hasMessageStartingWith("workspace credentials 'deploy' ")
        .hasMessageContaining("ssh private key")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aTokenIsNotSentOverPlainHttp() {
    WorkspaceSpec spec = spec("http://example.com/app.git", "token");
    Credentials store = Credentials.from(Map.of("ORCHESTRA_CREDENTIAL_TOKEN", "t0k3n"));

    assertThatThrownBy(() -> RepoSource.of(spec, dir).access(spec, store, dir.resolve("kh")))
        .hasMessageContaining("are sent only over https or ssh")
        .hasMessageNotContaining("t0k3n");
  }

  @Test
  void readsTheHostOfEveryConnectAddressForm() {
    assertThat(KnownHosts.host("[127.0.0.1]:2222")).isEqualTo("127.0.0.1");
    assertThat(KnownHosts.host("example.com:22")).isEqualTo("example.com");
    assertThat(KnownHosts.host("example.com")).isEqualTo("example.com");
  }

  private RepoSource source(String repo) {
    return RepoSource.of(spec(repo, null), dir);
  }

  private static WorkspaceSpec spec(String repo, String credentials) {
    return new WorkspaceSpec(repo, null, Isolation.BRANCH, null, false, null, credentials, null);
  }
}
