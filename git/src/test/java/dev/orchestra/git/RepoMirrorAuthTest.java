package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.testing.GitHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror of a private repository: a real {@code git http-backend} behind Basic auth refuses a
 * fetch without the token, and serves it with the token as the password of {@code x-access-token};
 * the token is in neither the mirror's files nor any message.
 */
class RepoMirrorAuthTest {
  static final String TOKEN = "ghs_mirrortoken0123456789";
  static final List<String> MAIN = List.of("+refs/heads/main:refs/heads/main");

  @TempDir Path dir;
  GitHttpServer server;
  String head;

  @BeforeEach
  void setUp() throws Exception {
    Path root = dir.resolve("served");
    Path bare = root.resolve("app.git");
    Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
    Path work = dir.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("README"), "private\n");
      git.add().addFilepattern(".").call();
      head =
          git.commit()
              .setMessage("private")
              .setAuthor("t", "t@example.com")
              .setCommitter("t", "t@example.com")
              .call()
              .name();
      git.push()
          .setRemote(bare.toUri().toString())
          .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main"))
          .call();
    }
    server = GitHttpServer.start(root, RepoSource.TOKEN_USER, TOKEN);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void fetchesAPrivateRepositoryWithTheTokenAndOnlyWithIt() throws Exception {
    String url = server.url("app").toString();
    Path mirrorDir = dir.resolve("mirror.git");
    try (RepoMirror mirror = RepoMirror.open(mirrorDir, url)) {
      assertThatThrownBy(() -> mirror.fetch(MAIN, Optional.empty()))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("docs/github.md");
      assertThatThrownBy(() -> mirror.fetch(MAIN, Optional.of("ghs_wrong")))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("refused")
          .hasMessageNotContaining("ghs_wrong");
      assertThat(mirror.resolve("refs/heads/main")).isNull();

      mirror.fetch(MAIN, Optional.of(TOKEN));
      assertThat(mirror.resolve("refs/heads/main")).isEqualTo(head);
    }
    // The server saw no credentials, then wrong ones, then the token's user; never the token in
    // the URL, and the mirror keeps it nowhere.
    assertThat(server.users()).contains("-", "?", RepoSource.TOKEN_USER);
    try (var files = Files.walk(mirrorDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void refusesToSendATokenInTheClear() {
    String remote = "http://git.example.com/octo/app.git";
    try (RepoMirror mirror = RepoMirror.open(dir.resolve("clear.git"), remote)) {
      assertThatThrownBy(() -> mirror.fetch(MAIN, Optional.of(TOKEN)))
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining("only over https")
          .hasMessageNotContaining(TOKEN);
    }
  }
}
