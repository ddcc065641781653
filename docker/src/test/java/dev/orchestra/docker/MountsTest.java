package dev.orchestra.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import dev.orchestra.OrchestraException.LaunchException;
import dev.orchestra.exec.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountsTest {
  @TempDir Path dir;

  @Test
  void extraMountsAreReadOnlyUnlessTheyEndInRw() {
    Bind ro = Mounts.parse("/srv/data:/data");
    Bind explicitRo = Mounts.parse("/srv/data:/data:ro");
    Bind rw = Mounts.parse("/srv/cache:/cache:rw");

    assertThat(ro.getPath()).isEqualTo("/srv/data");
    assertThat(ro.getVolume().getPath()).isEqualTo("/data");
    assertThat(ro.getAccessMode()).isEqualTo(AccessMode.ro);
    assertThat(explicitRo.getAccessMode()).isEqualTo(AccessMode.ro);
    assertThat(rw.getAccessMode()).isEqualTo(AccessMode.rw);
  }

  @Test
  void rejectsAMountWithAnUnknownModeNamingIt() {
    assertThatThrownBy(() -> Mounts.parse("/a:/b:rx"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'/a:/b:rx'")
        .hasMessageContaining("':ro' or ':rw'");
  }

  @Test
  void rejectsARelativeOrIncompleteMount() {
    assertThatThrownBy(() -> Mounts.parse("data:/data"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("/host/path:/container/path");
    assertThatThrownBy(() -> Mounts.parse("/data"))
        .isInstanceOf(LaunchException.class)
        .hasMessageContaining("'/data'");
  }

  @Test
  void mountsTheWorkspaceAndTheDirectoriesOrchestraVariablesPointAtAtTheSamePath()
      throws Exception {
    Path workspace = Files.createDirectories(dir.resolve("ws"));
    Path attempt = Files.createDirectories(dir.resolve("runs/r1/attempt-1"));
    Path prompt = Files.writeString(attempt.resolve("prompt.md"), "hi");
    Path home = Files.createDirectories(dir.resolve("runs/r1/home"));
    var spec =
        new ProcessSpec(
            List.of("true"),
            workspace,
            Map.of(
                "ORCHESTRA_PROMPT_FILE", prompt.toString(),
                "ORCHESTRA_OUTPUT_FILE", attempt.resolve("output.txt").toString(),
                "HOME", home.toString(),
                "ORCHESTRA_FEEDBACK_FILE", workspace.resolve("sub/feedback.md").toString(),
                "USER_DATA", attempt.getParent().toString(),
                "PATH", "/usr/bin:/bin",
                "MODE", "fast",
                "SHELL", "/bin/sh"),
            null,
            Map.of());

    List<Bind> binds = Mounts.of(spec, workspace, List.of("/srv/data:/data"));

    assertThat(binds)
        .extracting(b -> b.getPath() + ">" + b.getVolume().getPath() + ":" + b.getAccessMode())
        .containsExactlyInAnyOrder(
            workspace + ">" + workspace + ":rw",
            attempt + ">" + attempt + ":rw",
            home + ">" + home + ":rw",
            "/srv/data>/data:ro");
  }

  @Test
  void mountsTheRepositorysGitDirectoryWhenTheWorkspaceIsAWorktree() throws Exception {
    Path repoGit = Files.createDirectories(dir.resolve("repo/.git"));
    Path meta = Files.createDirectories(repoGit.resolve("worktrees/api"));
    Files.writeString(meta.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(dir.resolve("run/worktrees/api"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + meta + "\n");
    var spec = new ProcessSpec(List.of("git", "status"), worktree, Map.of(), null, Map.of());

    assertThat(Mounts.of(spec, worktree, List.of()))
        .extracting(Bind::getPath)
        .containsExactly(worktree.toString(), repoGit.toString());
  }
}
