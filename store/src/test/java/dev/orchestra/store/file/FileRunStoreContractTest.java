package dev.orchestra.store.file;

import dev.orchestra.state.RunPlan;
import dev.orchestra.state.RunPlanJson;
import dev.orchestra.store.RunStore;
import dev.orchestra.testing.RunStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;

class FileRunStoreContractTest extends RunStoreContract {

  @Override
  protected RunStore newStore(Path dir) {
    return FileRunStore.at(dir);
  }

  @Override
  protected RunStore sameRecords(Path dir, RunStore store) {
    return FileRunStore.at(dir);
  }

  @Override
  protected void replacePlanOnRecord(String runId, RunPlan plan) throws Exception {
    Files.writeString(planFile(runId), RunPlanJson.encode(plan) + "\n");
  }

  /** A directory where the file should be: reading it fails as a file without permission does. */
  @Override
  protected void spoilPlanOnRecord(String runId) throws Exception {
    Files.delete(planFile(runId));
    Files.createDirectory(planFile(runId));
  }

  private Path planFile(String runId) {
    return dir.resolve(runId).resolve(FileRunStore.RUN_PLAN);
  }
}
