package dev.orchestra.store.sql;

import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunPlanJson;
import dev.orchestra.store.RunStore;
import dev.orchestra.testing.RunStoreContract;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/** SQLite keeps the contract of every store; another handle is another store on the same file. */
class SqliteRunStoreTest extends RunStoreContract {

  static SqlRunStore open(Path dir) {
    return SqlRunStore.open(
        SqlOptions.sqlite(dir.resolve("orchestra.db"), dir.resolve("blobs"))
            .decisionPoll(Duration.ofMillis(200))
            .build());
  }

  @Override
  protected RunStore newStore(Path dir) {
    return open(dir);
  }

  @Override
  protected RunStore sameRecords(Path dir, RunStore store) {
    return open(dir);
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
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("orchestra.db"))) {
      SqlPlans.set(c, runId, json);
    }
  }
}
