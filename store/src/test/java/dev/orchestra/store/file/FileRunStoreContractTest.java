package dev.orchestra.store.file;

import dev.orchestra.store.RunStore;
import dev.orchestra.testing.RunStoreContract;
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
}
