package dev.orchestra.store.memory;

import dev.orchestra.store.RunStore;
import dev.orchestra.testing.RunStoreContract;
import java.nio.file.Path;

/** The memory store keeps the contract of every store (it lives in core, whose tests cannot). */
class MemoryRunStoreContractTest extends RunStoreContract {

  @Override
  protected RunStore newStore(Path dir) {
    return MemoryRunStore.withScratch(dir);
  }

  @Override
  protected RunStore sameRecords(Path dir, RunStore store) {
    return store;
  }
}
