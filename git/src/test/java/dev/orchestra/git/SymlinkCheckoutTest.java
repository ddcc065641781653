package dev.orchestra.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.OrchestraException.InvalidWorkflowException;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.RunResult;
import dev.orchestra.workflow.validate.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository whose committed {@code docs/x.md} is a symbolic link to a key outside it, as a pull
 * request could add: checked out into a node's worktree, the link must not carry the key into a
 * prompt, and a workflow of that repository cannot name it as its {@code prompt_file}.
 */
class SymlinkCheckoutTest {
  private static final String KEY = "orchestra-credentials-key-Xk29";

  @TempDir Path dir;
  GitFixture f;
  Path key;

  @BeforeEach
  void setUp() throws Exception {
    f = new GitFixture(dir);
    key = Files.writeString(dir.resolve("credentials.key"), KEY);
    try (Git git = f.userGit()) {
      Files.createDirectories(f.user.resolve("docs"));
      Files.createSymbolicLink(f.user.resolve("docs/x.md"), key);
      Files.writeString(f.user.resolve("docs/real.md"), "Real docs.");
      git.add().addFilepattern("docs").call();
      git.commit()
          .setMessage("docs")
          .setAuthor("User", "user@example.com")
          .setCommitter("User", "user@example.com")
          .call();
    }
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aLinkCheckedOutIntoANodesWorktreeDoesNotLeakTheKeyIntoItsPrompt() throws Exception {
    RunResult r =
        f.run(
            """
            version: 1
            name: leak
            defaults: {agent: command, command: cat}
            workspace: {repo: ., ref: main, isolation: branch}
            nodes:
              read: {context: [{file: docs/x.md}]}
              fine: {context: [{file: docs/real.md}]}
            """);

    assertThat(r.nodes().get("read").status()).isEqualTo(NodeStatus.ERROR);
    assertThat(r.nodes().get("read").reason())
        .startsWith("context file 'docs/x.md' of node 'read' resolves to " + key.toRealPath())
        .contains("through a symbolic link, outside the workspace (");
    assertThat(r.nodes().get("fine").status()).isEqualTo(NodeStatus.SUCCEEDED);
    assertThat(r.nodes().get("fine").output()).endsWith("Real docs.");
    try (Stream<Path> records = Files.walk(f.store.runDirectory(r.runId()))) {
      for (Path file : records.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(KEY);
      }
    }
  }

  @Test
  void aWorkflowOfTheRepositoryCannotUseTheLinkAsItsPromptFile() throws IOException {
    Path flow = f.user.resolve(".orchestra/flow.yaml");
    Files.createDirectories(flow.getParent());
    Files.writeString(
        flow,
        """
        version: 1
        name: p
        nodes:
          p: {agent: command, command: cat, prompt_file: ../docs/x.md}
        """);

    Assertions.assertThatThrownBy(() -> Workflows.load(flow, Map.of()))
        .isInstanceOf(InvalidWorkflowException.class)
        .hasMessageContaining(
            "prompt_file '../docs/x.md' resolves to "
                + key.toRealPath()
                + " through a symbolic link, outside the workflow's repository ("
                + f.user.toRealPath()
                + ")");
  }
}
