package dev.orchestra.store.decisions;

import dev.orchestra.store.RunStore;
import dev.orchestra.store.memory.MemoryRunStore;
import java.nio.file.Path;

class MemoryRunStoreDecisionsTest extends DecisionsContract {

  @Override
  RunStore store(Path dir) {
    return MemoryRunStore.withScratch(dir);
  }

  @Override
  RunStore sameRecords(Path dir, RunStore store) {
    return store;
  }
}
