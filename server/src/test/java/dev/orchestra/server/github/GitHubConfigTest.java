package dev.orchestra.server.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestra.OrchestraException;
import org.junit.jupiter.api.Test;

/** {@code github.json}'s choice between a token and a GitHub App, and its messages. */
class GitHubConfigTest {
  static GitHubConfig parse(String json) throws Exception {
    return GitHubConfig.parse(new JsonMapper().readTree(json), "github.json");
  }

  @Test
  void appIdAndKeyNamesTurnOnAppMode() throws Exception {
    GitHubConfig c =
        parse(
            "{\"webhook_secrets\": [\"hook\"], \"app_id\": \"gh-app-id\","
                + " \"app_private_key\": \"gh-app-key\"}");

    assertThat(c.appMode()).isTrue();
    assertThat(c.app()).isEqualTo(new GitHubConfig.App("gh-app-id", "gh-app-key"));
    assertThat(c.token()).isNull();
    assertThat(parse("{\"webhook_secrets\": [\"hook\"], \"token\": \"t\"}").appMode()).isFalse();
  }

  @Test
  void refusesATokenAndAnAppTogetherAndAnAppWithoutItsKey() {
    assertThatThrownBy(
            () ->
                parse(
                    "{\"webhook_secrets\": [\"hook\"], \"token\": \"t\", \"app_id\": \"i\","
                        + " \"app_private_key\": \"k\"}"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("github.json: 'token' and app_id/app_private_key exclude each other");
    assertThatThrownBy(() -> parse("{\"webhook_secrets\": [\"hook\"], \"app_id\": \"i\"}"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("'app_private_key' is missing");
    assertThatThrownBy(
            () ->
                parse("{\"webhook_secrets\": [\"hook\"], \"app_private_key\": \"k\", \"app\": 1}"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("'app' is not a key here")
        .hasMessageContaining("app_private_key");
  }
}
