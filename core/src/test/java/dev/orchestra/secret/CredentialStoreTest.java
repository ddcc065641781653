package dev.orchestra.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void otherHandlesReadEveryValueWhileFortyAreAdded() throws Exception {
    // As runs (each its own handle, like its own process) read a credential during `credentials
    // add`: every read finds the value, no read fails, and every value added is kept.
    Path home = tmp.resolve("home");
    CredentialStore.at(home).put("run-key", TOKEN);
    java.util.concurrent.atomic.AtomicBoolean adding =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> readers = new java.util.ArrayList<>();
    for (int r = 0; r < 4; r++) {
      Thread t =
          new Thread(
              () -> {
                do {
                  try {
                    Optional<String> v = CredentialStore.at(home).get("run-key");
                    if (!v.equals(Optional.of(TOKEN))) {
                      failures.add("read " + v);
                    }
                    reads.incrementAndGet();
                  } catch (RuntimeException e) {
                    failures.add(e.toString());
                  }
                } while (adding.get());
              });
      t.start();
      readers.add(t);
    }
    CredentialStore writer = CredentialStore.at(home);
    for (int i = 0; i < 40; i++) {
      writer.put("added-" + i, "added-value-" + i);
    }
    adding.set(false);
    for (Thread t : readers) {
      t.join();
    }

    assertThat(failures).isEmpty();
    assertThat(reads.get()).isGreaterThanOrEqualTo(4);
    CredentialStore again = CredentialStore.at(home);
    assertThat(again.names()).hasSize(41);
    for (int i = 0; i < 40; i++) {
      assertThat(again.get("added-" + i)).contains("added-value-" + i);
    }
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

  /** The iv and data the store wrote for {@code name}, to lay out a file by hand. */
  private static String[] sealed(Path home, String name) throws Exception {
    String json = Files.readString(home.resolve(CredentialStore.DATA_FILE));
    Matcher m =
        Pattern.compile(
                "\""
                    + Pattern.quote(name)
                    + "\": \\{\\s*\"iv\": \"([^\"]+)\",\\s*\"data\": \"([^\"]+)\"")
            .matcher(json);
    assertThat(m.find()).as(json).isTrue();
    return new String[] {m.group(1), m.group(2)};
  }

  @Test
  void readsAFileInAnotherKeyOrderAndLayoutAndKeepsEveryEntryOnTheNextWrite() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", "value-of-a");
    store.put("b", "value-of-b");
    String[] a = sealed(tmp, "a");
    String[] b = sealed(tmp, "b");
    // Keys in another order, entries across lines, tabs and blank lines: still the same JSON.
    Files.writeString(
        tmp.resolve(CredentialStore.DATA_FILE),
        "{\"credentials\":\n\n\t{\"b\":{\"data\":\""
            + b[1]
            + "\",\n\t\t\"iv\":\""
            + b[0]
            + "\"},\r\n\"a\" :\n{ \"data\" : \""
            + a[1]
            + "\" , \"iv\" : \""
            + a[0]
            + "\" }},\n\"version\":1}");

    assertThat(store.names()).containsExactly("a", "b");
    assertThat(store.get("a")).contains("value-of-a");
    assertThat(store.get("b")).contains("value-of-b");

    store.put("c", "value-of-c");
    assertThat(store.names()).containsExactly("a", "b", "c");
    assertThat(store.get("a")).contains("value-of-a");
    assertThat(store.get("b")).contains("value-of-b");
    assertThat(store.get("c")).contains("value-of-c");
  }

  /**
   * Keys this version does not know are kept: a later version may add some, and an older one that
   * adds a credential must not strip them (only the replaced entry is written anew).
   */
  @Test
  void keepsKeysItDoesNotKnowWhenItRewritesTheFile() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", "value-of-a");
    store.put("b", "value-of-b");
    String[] a = sealed(tmp, "a");
    String[] b = sealed(tmp, "b");
    Path data = tmp.resolve(CredentialStore.DATA_FILE);
    Files.writeString(
        data,
        "{\"version\": 1, \"comment\": \"kept by hand\", \"credentials\": {"
            + "\"a\": {\"iv\": \""
            + a[0]
            + "\", \"data\": \""
            + a[1]
            + "\", \"created\": \"2025-01-02\"},"
            + "\"b\": {\"iv\": \""
            + b[0]
            + "\", \"data\": \""
            + b[1]
            + "\", \"created\": \"2025-03-04\"}}}");

    store.put("b", "new-value-of-b");
    store.put("c", "value-of-c");
    assertThat(store.remove("c")).isTrue();

    String json = Files.readString(data);
    assertThat(json).contains("\"comment\": \"kept by hand\"").contains("2025-01-02");
    assertThat(json).as("a replaced entry is written anew").doesNotContain("2025-03-04");
    assertThat(store.get("a")).contains("value-of-a");
    assertThat(store.get("b")).contains("new-value-of-b");
    assertThat(store.names()).containsExactly("a", "b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"version\": 1, \"credentials\": {\"a\": {\"iv\": \"AAAA\", \"data\": \"AAAA\"}",
        "",
        "[]",
        "{\"credentials\": {}}",
        "{\"version\": 2, \"credentials\": {}}",
        "{\"version\": \"1\", \"credentials\": {}}",
        "{\"version\": 1}",
        "{\"version\": 1, \"credentials\": {\"a\": {\"iv\": \"AAAA\"}}}",
        "{\"version\": 1, \"credentials\": {\"a\": {\"iv\": \"AAAA\", \"data\": 7}}}",
        "{\"version\": 1, \"credentials\": {\"a\": {\"iv\": \"not base64!\", \"data\": \"AAAA\"}}}",
        "{\"version\": 1, \"credentials\": {\"a\": \"AAAA\"}}",
        "{\"version\": 1, \"credentials\": {\"bad name\": {\"iv\": \"AAAA\", \"data\": \"AAAA\"}}}",
        "{\"version\": 1, \"credentials\": {"
            + "\"a\": {\"iv\": \"AAAA\", \"data\": \"AAAA\"},"
            + " \"a\": {\"iv\": \"BBBB\", \"data\": \"BBBB\"}}}",
        "{\"version\": 1, \"credentials\": {}} {\"version\": 1, \"credentials\": {}}",
      })
  void refusesAFileItCannotReadAndLeavesItByteForByte(String content) throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("existing", "value");
    Path data = tmp.resolve(CredentialStore.DATA_FILE);
    Files.writeString(data, content);
    byte[] before = Files.readAllBytes(data);

    assertThatThrownBy(() -> store.put("b", "value-of-b"))
        .isInstanceOf(OrchestraException.class)
        .hasMessageStartingWith("cannot read the credential file " + data + ": ")
        .hasMessageContaining("it is left as it is")
        .hasMessageContaining("orchestra credentials add NAME");
    assertThatThrownBy(() -> store.remove("a"))
        .hasMessageStartingWith("cannot read the credential file " + data);
    assertThatThrownBy(() -> store.get("a"))
        .hasMessageStartingWith("cannot read the credential file " + data);
    assertThatThrownBy(store::names)
        .hasMessageStartingWith("cannot read the credential file " + data);
    assertThat(Files.readAllBytes(data)).isEqualTo(before);
  }

  @Test
  void namesWhatIsWrongWithTheFile() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    Path data = tmp.resolve(CredentialStore.DATA_FILE);
    Files.writeString(data, "{\"version\": 1,\n \"credentials\": {\"a\": {\"iv\": \"AAAA\"}}}");
    assertThatThrownBy(() -> store.get("a"))
        .hasMessageContaining(": credential 'a' has no \"data\" string;");
    Files.writeString(data, "{\"version\": 3, \"credentials\": {}}");
    assertThatThrownBy(store::names)
        .hasMessageContaining("its format version is 3, not 1 (a later Orchestra wrote it");
    Files.writeString(data, "{\"version\": 1,\n \"credentials\": {\"a\": }}");
    assertThatThrownBy(store::names).hasMessageContaining("it is not valid JSON at line 2, column");
  }

  @Test
  void refusesToAddUnderANewKeyWhileValuesUnderTheMissingOneExist() throws Exception {
    CredentialStore store = CredentialStore.at(tmp);
    store.put("a", "value-of-a");
    Path data = tmp.resolve(CredentialStore.DATA_FILE);
    byte[] before = Files.readAllBytes(data);
    Files.delete(tmp.resolve(CredentialStore.KEY_FILE));

    assertThatThrownBy(() -> store.put("b", "value-of-b"))
        .hasMessageContaining("credential key file")
        .hasMessageContaining("is missing");
    assertThat(tmp.resolve(CredentialStore.KEY_FILE)).doesNotExist();
    assertThat(Files.readAllBytes(data)).isEqualTo(before);
  }
}
