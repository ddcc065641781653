package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import dev.orchestra.testing.PostgresCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The leases on PostgreSQL ({@code FOR UPDATE SKIP LOCKED}), and how a bad password is told. */
class PostgresLeasesIT extends LeasesContract {
  private static PostgresCluster cluster;
  private String url;

  @BeforeAll
  static void startPostgres() {
    cluster = PostgresCluster.start(Map.of("fsync", "off"));
  }

  @AfterAll
  static void stopPostgres() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  SqlOptions.Builder database(Path dir) {
    if (url == null) {
      url = cluster.createDatabase();
    }
    return SqlOptions.builder(url, dir.resolve("blobs"))
        .user(PostgresCluster.USER)
        .password(cluster.password())
        .poolSize(4);
  }

  @Test
  void aWrongPasswordIsToldWithoutThePasswordAndWithWhereToSetIt() {
    String wrong = "not-" + cluster.password();
    SqlOptions options =
        SqlOptions.builder(cluster.createDatabase(), dir.resolve("blobs"))
            .user(PostgresCluster.USER)
            .password(wrong)
            .build();

    assertThat(options.toString()).doesNotContain(wrong).contains("****");
    assertThatThrownBy(() -> SqlRunStore.open(options))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("cannot connect to the database jdbc:postgresql://127.0.0.1:")
        .hasMessageContaining("password authentication failed")
        .hasMessageContaining(SqlOptions.PASSWORD_ENV)
        .message()
        .doesNotContain(wrong);
  }
}
