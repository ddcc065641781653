package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.CredentialStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlOptionsTest {
  @TempDir Path home;

  @Test
  void withoutAUrlIsSqliteInTheOrchestraHome() {
    SqlOptions o = SqlOptions.resolve(null, Map.of("ORCHESTRA_HOME", home.toString())).build();

    assertThat(o.url()).isEqualTo("jdbc:sqlite:" + home.resolve("orchestra.db"));
    assertThat(o.dialect()).isEqualTo(Dialect.SQLITE);
    assertThat(o.blobs()).isEqualTo(home.resolve("blobs"));
  }

  @Test
  void takesThePostgresPasswordFromTheCredentialStoreBeforeTheEnvironment() throws Exception {
    Map<String, String> env =
        Map.of(
            "ORCHESTRA_HOME",
            home.toString(),
            "ORCHESTRA_DB_PASSWORD",
            "from-env",
            "ORCHESTRA_DB_USER",
            "alice",
            "ORCHESTRA_DB_BLOBS",
            home.resolve("shared").toString());
    String url = "jdbc:postgresql://db.example:5432/orchestra";
    assertThat(SqlOptions.resolve(url, env).build().password()).contains("from-env");

    CredentialStore.at(home).put("db", "from-store");
    SqlOptions o = SqlOptions.resolve(url, env).build();
    assertThat(o.password()).contains("from-store");
    assertThat(o.user()).contains("alice");
    assertThat(o.blobs()).isEqualTo(home.resolve("shared"));
    assertThat(o.toString()).doesNotContain("from-store").contains("****");
  }

  @Test
  void refusesAUrlWithAPasswordAndUrlsOfOtherDatabases() {
    assertThatThrownBy(
            () ->
                SqlOptions.resolve(
                        "jdbc:postgresql://db/orchestra?user=a&password=hunter2", Map.of())
                    .build())
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("must not hold the password")
        .hasMessageContaining("orchestra credentials add db")
        .message()
        .doesNotContain("hunter2");
    assertThatThrownBy(() -> SqlOptions.resolve("jdbc:mysql://db/x", Map.of()).build())
        .hasMessageContaining("'jdbc:mysql://db/x' is not a database URL Orchestra can use")
        .hasMessageContaining("jdbc:postgresql://HOST:PORT/DATABASE");
  }

  @Test
  void checksItsDurations() {
    assertThatThrownBy(
            () ->
                SqlOptions.sqlite(home.resolve("x.db"), home)
                    .leaseTtl(java.time.Duration.ZERO)
                    .build())
        .hasMessage("leaseTtl must be positive, was PT0S");
  }
}
