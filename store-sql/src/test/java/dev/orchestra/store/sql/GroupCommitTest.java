package dev.orchestra.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.OrchestraException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions of many callers share commits; a failing work fails only its own caller. */
class GroupCommitTest {
  @TempDir Path dir;
  private Database db;

  @BeforeEach
  void open() {
    db =
        Database.open(SqlOptions.sqlite(dir.resolve("orchestra.db"), dir.resolve("blobs")).build());
    db.transaction(
        "make the table",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
          }
          return null;
        });
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Integer insert(int k) {
    return db.transaction(
        "insert " + k,
        c -> {
          try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
            s.setInt(1, k);
            return s.executeUpdate();
          }
        });
  }

  private List<Integer> keys() {
    return db.read(
        "read the keys",
        c -> {
          List<Integer> all = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            while (r.next()) {
              all.add(r.getInt(1));
            }
          }
          return all;
        });
  }

  @Test
  void aBatchWithAFailingWorkCommitsTheOthersAndFailsOnlyThatCaller() throws Exception {
    insert(3);
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Object> blocker =
        CompletableFuture.supplyAsync(
            () ->
                db.transaction(
                    "hold the writer",
                    c -> {
                      writerBusy.countDown();
                      try {
                        release.await(60, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return null;
                    }));
    assertThat(writerBusy.await(60, TimeUnit.SECONDS)).isTrue();
    // These queue behind the held writer, so they run as one batch; key 3 exists already.
    List<CompletableFuture<Integer>> inserts = new ArrayList<>();
    for (int k = 1; k <= 5; k++) {
      int key = k;
      inserts.add(CompletableFuture.supplyAsync(() -> insert(key)));
    }
    CompletableFuture<Object> thrower =
        CompletableFuture.supplyAsync(
            () ->
                db.transaction(
                    "fail on purpose",
                    c -> {
                      throw new IllegalStateException("this work fails");
                    }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (db.queued() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(db.queued()).isEqualTo(6);
    release.countDown();
    blocker.get(60, TimeUnit.SECONDS);

    for (int k = 1; k <= 5; k++) {
      CompletableFuture<Integer> f = inserts.get(k - 1);
      if (k == 3) {
        assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(OrchestraException.class)
            .hasMessageContaining("cannot insert 3 in the database");
      } else {
        assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1);
      }
    }
    assertThatThrownBy(() -> thrower.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("this work fails");
    assertThat(keys()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void manyCallersAtOnceAllCommit() throws Exception {
    List<CompletableFuture<Integer>> all = new ArrayList<>();
    for (int k = 0; k < 400; k++) {
      int key = k;
      all.add(CompletableFuture.supplyAsync(() -> insert(key)));
    }
    for (CompletableFuture<Integer> f : all) {
      assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(keys()).hasSize(400);
  }

  @Test
  void transactionsReuseTheirStatementsWithFreshParametersAndSurviveAFailure() {
    for (int k = 1; k <= 50; k++) {
      insert(k);
    }
    // One statement for the one text, kept across the 50 transactions.
    assertThat(db.keptStatements()).isEqualTo(1);
    assertThat(keys()).hasSize(50);
    // A failing work (key 7 exists) drops what was kept; the next transactions prepare anew.
    assertThatThrownBy(() -> insert(7)).hasMessageContaining("cannot insert 7 in the database");
    assertThat(db.keptStatements()).isZero();
    insert(51);
    assertThat(keys()).hasSize(51).contains(51);
    // The same text twice at once in one work, and a query whose parameters change each time.
    int[] found =
        db.transaction(
            "insert two and count",
            c -> {
              String sql = "INSERT INTO t (k) VALUES (?)";
              try (PreparedStatement a = c.prepareStatement(sql);
                  PreparedStatement b = c.prepareStatement(sql)) {
                a.setInt(1, 60);
                b.setInt(1, 61);
                assertThat(a.executeUpdate() + b.executeUpdate()).isEqualTo(2);
              }
              int[] counts = new int[3];
              for (int i = 0; i < counts.length; i++) {
                try (PreparedStatement s =
                    c.prepareStatement("SELECT COUNT(*) FROM t WHERE k > ?")) {
                  s.setInt(1, 50 + 5 * i);
                  try (ResultSet r = s.executeQuery()) {
                    r.next();
                    counts[i] = r.getInt(1);
                  }
                }
              }
              return counts;
            });
    assertThat(found).containsExactly(3, 2, 1);
    // A parameter a work leaves unset is NULL (a new key here), never an earlier work's value
    // (60, the last the kept statement had, which exists).
    int inserted =
        db.transaction(
            "insert no key",
            c -> {
              try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
                return s.executeUpdate();
              }
            });
    assertThat(inserted).isEqualTo(1);
    assertThat(keys()).hasSize(54).contains(62);
    // Texts past the most kept are prepared each time, and work as well.
    for (int k = 100; k < 100 + StatementCache.MAX_TEXTS + 20; k++) {
      int key = k;
      db.transaction(
          "insert " + k + " with a text of its own",
          c -> {
            try (PreparedStatement s =
                c.prepareStatement("INSERT INTO t (k) VALUES (?) -- " + key)) {
              s.setInt(1, key);
              return s.executeUpdate();
            }
          });
    }
    assertThat(db.keptStatements()).isEqualTo(StatementCache.MAX_TEXTS);
    assertThat(keys()).hasSize(54 + StatementCache.MAX_TEXTS + 20);
  }

  @Test
  void aClosedDatabaseRefusesTransactionsAndAWorkMustNotStartAnother() {
    assertThatThrownBy(() -> db.transaction("nest", c -> insert(9)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must not start another");
    db.close();
    assertThatThrownBy(() -> insert(1))
        .isInstanceOf(OrchestraException.class)
        .hasMessageContaining("the store is closed");
  }
}
