package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoleUseTest {
  @TempDir Path dir;

  SqlRunStore sqlite() {
    return SqlRunStore.open(
        SqlOptions.sqlite(dir.resolve("orchestra.db"), dir.resolve("blobs")).build());
  }

  @Test
  void oneServerHoldsASqliteDatabaseAndTheNextGetsItOnceReleased() {
    try (SqlRunStore first = sqlite();
        SqlRunStore second = sqlite()) {
      Optional<SoleUse> held = first.soleUse();
      assertThat(held)
          .get()
          .extracting(SoleUse::file)
          .isEqualTo(dir.resolve("orchestra.db.serve-lock"));
      assertThat(Files.exists(dir.resolve("orchestra.db.serve-lock"))).isTrue();

      assertThatThrownBy(second::soleUse)
          .isInstanceOf(OrchestraException.class)
          .hasMessageContaining(
              "another orchestra serve uses the database " + dir.resolve("orchestra.db"))
          .hasMessageContaining("a SQLite database takes one server")
          .hasMessageContaining("PostgreSQL");

      held.get().close();
      held.get().close(); // harmless
      try (SoleUse next = second.soleUse().orElseThrow()) {
        assertThat(next.file()).isEqualTo(held.get().file());
      }
    }
  }
}
