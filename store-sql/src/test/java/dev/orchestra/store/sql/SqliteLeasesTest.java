package dev.orchestra.store.sql;

import java.nio.file.Path;

class SqliteLeasesTest extends LeasesContract {
  @Override
  SqlOptions.Builder database(Path dir) {
    return SqlOptions.sqlite(dir.resolve("orchestra.db"), dir.resolve("blobs"));
  }
}
