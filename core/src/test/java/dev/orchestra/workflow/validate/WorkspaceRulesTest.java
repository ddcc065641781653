package dev.orchestra.workflow.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceRulesTest {
  @TempDir Path dir;
  Fixture fx;

  @BeforeEach
  void setUp() {
    fx = new Fixture(dir);
  }

  @Test
  void rejectsCredentialsForARepoThatIsNotHttpsAndAnAuthorWithoutEmail() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        workspace:
          repo: http://git.example.com/team/app.git
          isolation: branch
          credentials: git-token
          author: Bot
        nodes:
          a: {agent: command, command: "true"}
        """);

    assertThat(fx.validationProblems("flow.yaml"))
        .containsExactly(
            "flow.yaml:5:16: error: workspace credentials 'git-token' are sent only over https"
                + " or ssh, but repo 'http://git.example.com/team/app.git' is neither an https"
                + " nor an ssh URL; use an https or ssh URL or drop 'credentials'",
            "flow.yaml:6:11: error: workspace author 'Bot' is not of the form 'Name <email>',"
                + " e.g. 'Orchestra <orchestra@example.com>'");
  }

  @Test
  void acceptsATokenForAnHttpsRepoAndAnAuthorWithEmail() {
    fx.write(
        "flow.yaml",
        """
        version: 1
        workspace:
          repo: https://git.example.com/team/app.git
          ref: main
          isolation: branch
          credentials: git-token
          author: "Bot <bot@example.com>"
          push: true
          remote: upstream
        nodes:
          a: {agent: command, command: "true"}
        """);

    assertThat(fx.validationProblems("flow.yaml")).isEmpty();
  }

  @Test
  void acceptsAnSshKeyForSshAndScpLikeRepos() {
    for (String repo :
        List.of("ssh://git@git.example.com:2222/team/app.git", "git@host:team/app")) {
      fx.write(
          "flow.yaml",
          """
          version: 1
          workspace: {repo: "%s", isolation: branch, credentials: deploy_key}
          nodes:
            a: {agent: command, command: "true"}
          """
              .formatted(repo));

      assertThat(fx.validationProblems("flow.yaml")).as(repo).isEmpty();
    }
  }
}
