package dev.orchestra.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  private static final String TOKEN = "sk-test-0123456789abcdef";

  @TempDir Path tmp;

  @Test
  void returnsWhatWasPutAndListsNamesSorted() {
    CredentialStore store = CredentialStore.at(tmp.resolve("home"));
    store.put("zeta", "z-value");
    store.put("anthropic", TOKEN);
    store.put("deploy.token-1", "ünïcödé value with spaces");

    CredentialStore again = CredentialStore.at(tmp.resolve("home"));
    assertThat(again.get("anthropic")).contains(TOKEN);
    assertThat(again.get("deploy.token-1")).contains("ünïcödé value with spaces");
    assertThat(again.get("missing")).isEmpty();
    assertThat(again.names()).containsExactly("anthropic", "deploy.token-1", "zeta");
  }

  @Test
  void replacesAndRemovesValues() {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", "first-value");
    store.put("a", "second-value");
    assertThat(store.get("a")).contains("second-value");

    assertThat(store.remove("a")).isTrue();
    assertThat(store.remove("a")).isFalse();
    assertThat(store.get("a")).isEmpty();
    assertThat(store.names()).isEmpty();
  }

  @Test
  void createsPrivateKeyFileInPrivateDirectory() throws Exception {
    Path home = tmp.resolve("home");
    CredentialStore.at(home).put("a", TOKEN);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(CredentialStore.KEY_FILE))))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve(CredentialStore.DATA_FILE))))
        .isEqualTo("rw-------");
    assertThat(Files.size(home.resolve(CredentialStore.KEY_FILE))).isEqualTo(32);
  }

  @Test
  void keepsNoPlaintextValueInItsFiles() throws Exception {
    CredentialStore.at(tmp).put("a", TOKEN);
    try (var files = Files.list(tmp)) {
      for (Path f : files.toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(text).as(f.toString()).doesNotContain(TOKEN).doesNotContain("0123456789");
      }
    }
    assertThat(Files.readString(tmp.resolve(CredentialStore.DATA_FILE))).contains("\"a\"");
  }

  @Test
  void encryptsEachValueWithItsOwnIv() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", TOKEN);
    store.put("b", TOKEN);
    String json = Files.readString(tmp.resolve(CredentialStore.DATA_FILE));
    var ivs =
        java.util.regex.Pattern.compile("\"iv\": \"([^\"]+)\"").matcher(json).results().toList();
    assertThat(ivs).hasSize(2);
    assertThat(ivs.get(0).group(1)).isNotEqualTo(ivs.get(1).group(1));
  }

  @Test
  void refusesKeyFileReadableByOthersAndSaysHowToFixIt() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", TOKEN);
    Path key = tmp.resolve(CredentialStore.KEY_FILE);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> store.get("a"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining(key.toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + key);
    assertThatThrownBy(() -> store.put("b", "value")).hasMessageContaining("chmod 600 " + key);

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(store.get("a")).contains(TOKEN);
  }

  @Test
  void refusesValueWhenEntriesWereSwapped() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", "value-of-a");
    store.put("b", "value-of-b");
    Path data = tmp.resolve(CredentialStore.DATA_FILE);
    String json = Files.readString(data);
    Files.writeString(data, json.replace("\"a\":", "\"x\":").replace("\"b\":", "\"a\":"));

    assertThatThrownBy(() -> store.get("a"))
        .hasMessageContaining("credential 'a' cannot be decrypted")
        .hasMessageContaining("orchestra credentials add a");
  }

  @Test
  void rejectsBadNamesAndEmptyValues() {
    CredentialStore store = CredentialStore.at(tmp);
    assertThatThrownBy(() -> store.put("has space", "v"))
        .hasMessageContaining("bad credential name 'has space'");
    assertThatThrownBy(() -> store.put("a", "")).hasMessageContaining("is empty");
    assertThat(store.names()).isEmpty();
  }

  @Test
  void readingAnEmptyHomeCreatesNothing() {
    Path home = tmp.resolve("none");
    assertThat(CredentialStore.at(home).get("a")).isEmpty();
    assertThat(CredentialStore.at(home).names()).isEmpty();
    assertThat(home).doesNotExist();
  }

  @Test
  void resolvesFromStoreThenEnvironmentElseNamesBothWays() {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("deploy-key", "from-store");
    Credentials credentials =
        Credentials.of(
            store,
            Map.of(
                "ORCHESTRA_CREDENTIAL_DEPLOY_KEY", "from-env-ignored",
                "ORCHESTRA_CREDENTIAL_GH_TOKEN", "from-env"));

    assertThat(credentials.resolve("deploy-key")).isEqualTo("from-store");
    assertThat(credentials.resolve("gh.token")).isEqualTo("from-env");
    assertThatThrownBy(() -> credentials.resolve("absent"))
        .hasMessageContaining("no credential 'absent'")
        .hasMessageContaining("orchestra credentials add absent")
        .hasMessageContaining("ORCHESTRA_CREDENTIAL_ABSENT");
  }

  @Test
  void findsHomeInOrchestraHomeVariable() {
    assertThat(CredentialStore.home(Map.of("ORCHESTRA_HOME", "/x/y"))).isEqualTo(Path.of("/x/y"));
    assertThat(CredentialStore.home(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".orchestra"));
  }
}
