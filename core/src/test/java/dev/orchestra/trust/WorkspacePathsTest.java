package dev.orchestra.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path rule on a real directory with real links, FIFOs and devices. */
class WorkspacePathsTest {
  @TempDir Path tmp;
  Path ws;
  Path secret;
  WorkspacePaths strict;
  WorkspacePaths local;

  @BeforeEach
  void setUp() throws IOException {
    ws = Files.createDirectories(tmp.resolve("ws"));
    secret = Files.writeString(tmp.resolve("credentials.key"), "the key");
    Files.createDirectories(ws.resolve("docs"));
    Files.writeString(ws.resolve("docs/guide.md"), "Be brief.");
    strict = WorkspacePaths.workspace(ws, Trust.UNTRUSTED, Duration.ofSeconds(10));
    local = WorkspacePaths.workspace(ws, Trust.LOCAL, Duration.ofSeconds(10));
  }

  private static String refusal(WorkspacePaths.Resolved r) {
    assertThat(r).isInstanceOf(WorkspacePaths.Refused.class);
    return ((WorkspacePaths.Refused) r).reason();
  }

  @Test
  void acceptsAFileInsideAndALinkThatStaysInside() throws IOException {
    Files.createSymbolicLink(ws.resolve("docs/link.md"), ws.resolve("docs/guide.md"));

    assertThat(strict.regularFile(ws, "docs/guide.md"))
        .isEqualTo(new WorkspacePaths.Inside(ws.toRealPath().resolve("docs/guide.md")));
    assertThat(strict.regularFile(ws, "docs/link.md"))
        .isEqualTo(new WorkspacePaths.Inside(ws.toRealPath().resolve("docs/guide.md")));
    assertThat(strict.resolve("out/not-yet-written.txt"))
        .isEqualTo(new WorkspacePaths.Inside(ws.toRealPath().resolve("out/not-yet-written.txt")));
  }

  @Test
  void refusesDotDotAndAbsolutePathsUnlessTrusted() {
    assertThat(refusal(strict.resolve("../credentials.key")))
        .startsWith("leads out of the workspace (" + strict.root() + ")");
    assertThat(refusal(strict.resolve("../../../etc/passwd"))).startsWith("leads out of");
    assertThat(refusal(strict.resolve("/etc/shadow")))
        .isEqualTo(
            "is an absolute path; it must be inside the workspace ("
                + strict.root()
                + "); if this is your own workflow on your own machine, run it with"
                + " --trust-local");

    assertThat(local.regularFile(ws, "../credentials.key"))
        .isEqualTo(new WorkspacePaths.Inside(secret));
  }

  @Test
  void refusesALinkToAFileOutsideAndAFileUnderALinkedDirectory() throws IOException {
    Files.createSymbolicLink(ws.resolve("docs/x.md"), secret);
    Files.createSymbolicLink(ws.resolve("etc"), Path.of("/etc"));

    assertThat(refusal(strict.regularFile(ws, "docs/x.md")))
        .startsWith("resolves to " + secret.toRealPath() + " through a symbolic link, outside");
    assertThat(refusal(strict.resolve("etc/hostname")))
        .startsWith("resolves to /etc/hostname through a symbolic link");
    assertThat(refusal(strict.contain(ws.resolve("etc/passwd"))))
        .startsWith("resolves to /etc/passwd");
  }

  @Test
  void refusesWhatIsNotARegularFileEvenWhenTrusted() throws Exception {
    Path fifo = ws.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    assertThat(refusal(strict.regularFile(ws, "pipe")))
        .isEqualTo(
            "is not a regular file (a device, a FIFO or a socket); only a regular file is read");
    assertThat(refusal(strict.regularFile(ws, "docs")))
        .isEqualTo("is a directory; only a regular file is read");
    assertThat(refusal(local.regularFile(ws, "/dev/zero"))).startsWith("is not a regular file");
    assertThat(refusal(strict.regularFile(ws, "missing.txt"))).isEqualTo("does not exist");
  }

  @Test
  void readsWithinTheCapAndRefusesALinkSwappedInAfterTheCheck() throws IOException {
    Path guide = ((WorkspacePaths.Inside) strict.regularFile(ws, "docs/guide.md")).path();
    assertThat(strict.readText(guide, "context file docs/guide.md", 100)).isEqualTo("Be brief.");

    assertThatThrownBy(() -> strict.readText(guide, "context file docs/guide.md", 4))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "context file docs/guide.md ("
                + guide
                + ") is 9 bytes, larger than the 4 bytes it may be");

    Files.delete(guide);
    Files.createSymbolicLink(guide, secret);
    assertThatThrownBy(() -> strict.readText(guide, "context file docs/guide.md", 100))
        .hasMessage(
            "context file docs/guide.md ("
                + guide
                + ") is a symbolic link; only a regular file is read");
  }

  @Test
  void refusesPathsThatLeadOutAsWrittenButNotTemplatesOrTrustedOnes() {
    String ws = "the workspace";
    assertThat(WorkspacePaths.refusedAsWritten("../*.txt", Trust.UNTRUSTED, ws))
        .contains("leads out of the workspace with '..'");
    assertThat(WorkspacePaths.refusedAsWritten("/proc/self/environ", Trust.UNTRUSTED, ws))
        .contains("is an absolute path; it must be relative to the workspace");
    assertThat(WorkspacePaths.refusedAsWritten("docs/../README.md", Trust.UNTRUSTED, ws)).isEmpty();
    assertThat(WorkspacePaths.refusedAsWritten("{{ inputs.file }}", Trust.UNTRUSTED, ws))
        .isEqualTo(Optional.empty());
    assertThat(WorkspacePaths.refusedAsWritten("/etc/passwd", Trust.LOCAL, ws)).isEmpty();
  }

  @Test
  void findsTheRepositoryOfAWorkflowFileByItsGitDirectory() throws IOException {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    Files.createDirectories(repo.resolve(".git"));
    Path flow = Files.createDirectories(repo.resolve(".orchestra")).resolve("flow.yaml");

    assertThat(WorkspacePaths.repositoryOf(flow)).isEqualTo(repo);
    assertThat(WorkspacePaths.repositoryOf(tmp.resolve("loose/flow.yaml")))
        .isEqualTo(tmp.resolve("loose"));
    assertThat(WorkspacePaths.repository(flow, Trust.UNTRUSTED).where())
        .isEqualTo("the workflow's repository (" + repo.toRealPath() + ")");
  }

  @Test
  void aWorktreesGitFileMarksItsRepositoryAndALooseDirectoryIsNamedSo() throws IOException {
    Path worktree = Files.createDirectories(tmp.resolve("checkouts/feature"));
    Files.writeString(worktree.resolve(".git"), "gitdir: /elsewhere/.git/worktrees/feature\n");
    Path flow = Files.createDirectories(worktree.resolve("a/b/c")).resolve("flow.yaml");

    assertThat(WorkspacePaths.repositoryOf(flow)).isEqualTo(worktree);
    Path loose = Files.createDirectories(tmp.resolve("loose")).resolve("flow.yaml");
    assertThat(WorkspacePaths.repository(loose, Trust.UNTRUSTED).where())
        .isEqualTo("the workflow's directory (" + tmp.resolve("loose").toRealPath() + ")");
  }
}
