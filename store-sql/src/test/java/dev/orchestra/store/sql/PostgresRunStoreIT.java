package dev.orchestra.store.sql;

import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunPlanJson;
import dev.orchestra.store.RunStore;
import dev.orchestra.testing.PostgresCluster;
import dev.orchestra.testing.RunStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * PostgreSQL keeps the contract of every store: a real server (a throwaway cluster), a database per
 * test; another handle is another store, with its own pool, on the same database.
 */
class PostgresRunStoreIT extends RunStoreContract {
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

  static SqlRunStore open(PostgresCluster cluster, String url, Path blobs) {
    return SqlRunStore.open(
        SqlOptions.builder(url, blobs)
            .user(PostgresCluster.USER)
            .password(cluster.password())
            .poolSize(4)
            .decisionPoll(Duration.ofMillis(200))
            .build());
  }

  @Override
  protected RunStore newStore(Path dir) {
    url = cluster.createDatabase();
    return open(cluster, url, dir.resolve("blobs"));
  }

  @Override
  protected RunStore sameRecords(Path dir, RunStore store) {
    return open(cluster, url, dir.resolve("blobs"));
  }

  @Override
  protected boolean listsTheStatusOfTheEvents() {
    return true;
  }

  @Override
  protected void replacePlanOnRecord(String runId, RunPlan plan) throws Exception {
    setPlan(runId, RunPlanJson.encode(plan));
  }

  @Override
  protected void spoilPlanOnRecord(String runId) throws Exception {
    setPlan(runId, "{torn");
  }

  private void setPlan(String runId, String json) throws Exception {
    try (Connection c =
        DriverManager.getConnection(url, PostgresCluster.USER, cluster.password())) {
      SqlPlans.set(c, runId, json);
    }
  }
}
