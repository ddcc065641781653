package dev.orchestra.bench;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.RunRecorder;
import dev.orchestra.store.sql.SqlOptions;
import dev.orchestra.store.sql.SqlRunStore;
import dev.orchestra.testing.PostgresCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The SQL store's append throughput and events-after-seq read latency, on SQLite and on a real
 * PostgreSQL (a throwaway cluster with the server's default, durable settings). Run by {@code
 * bench/store-bench.sh}; prints one line per measurement.
 *
 * <ul>
 *   <li>append, 1 run: N events appended by one thread, as the engine appends a run's events (one
 *       transaction each), in events/s;
 *   <li>append, 4 runs: four threads, each appending N/4 events to a run of its own (four runs of
 *       one server at once), in events/s all together;
 *   <li>read after seq: {@code events(run, N - 100)} (an SSE client reconnecting near the end) 200
 *       times, median and p95 in ms; and reading all N events once.
 * </ul>
 */
public final class StoreBench {
  private StoreBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Path work = Files.createTempDirectory("orchestra-store-bench-");
    try {
      try (SqlRunStore sqlite =
          SqlRunStore.open(
              SqlOptions.sqlite(work.resolve("orchestra.db"), work.resolve("blobs")).build())) {
        measure("sqlite", sqlite, n);
      }
      try (PostgresCluster pg = PostgresCluster.start();
          SqlRunStore postgres =
              SqlRunStore.open(
                  SqlOptions.builder(pg.createDatabase(), work.resolve("pg-blobs"))
                      .user(PostgresCluster.USER)
                      .password(pg.password())
                      .build())) {
        measure("postgresql", postgres, n);
      }
    } finally {
      delete(work);
    }
  }

  private static void measure(String name, SqlRunStore store, int n) throws Exception {
    append(store, "20261201-000000-0000", 200); // warm-up: JIT, pool, statement caches
    long t0 = System.nanoTime();
    append(store, "20261201-000001-0001", n);
    double seconds = (System.nanoTime() - t0) / 1e9;
    report(name, "append, 1 run", "%.0f events/s (%d events in %.2f s)", n / seconds, n, seconds);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      t0 = System.nanoTime();
      for (int r = 0; r < 4; r++) {
        String id = "20261201-000002-000" + r;
        runs.add(pool.submit(() -> append(store, id, n / 4)));
      }
      for (Future<?> f : runs) {
        f.get();
      }
      seconds = (System.nanoTime() - t0) / 1e9;
      report(name, "append, 4 runs", "%.0f events/s together", (n / 4 * 4) / seconds);
    } finally {
      pool.shutdown();
    }

    String run = "20261201-000001-0001";
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long s = System.nanoTime();
      int got = store.events(run, n - 100L).size();
      ms.add((System.nanoTime() - s) / 1e6);
      if (got != 100) {
        throw new IllegalStateException("read " + got + " events after " + (n - 100));
      }
    }
    Collections.sort(ms);
    report(
        name,
        "read after seq",
        "median %.2f ms, p95 %.2f ms (the last 100 of %d events)",
        ms.get(ms.size() / 2),
        ms.get((int) (ms.size() * 0.95)),
        n);
    long s = System.nanoTime();
    int all = store.events(run, 0).size();
    report(name, "read all", "%.1f ms (%d events)", (System.nanoTime() - s) / 1e6, all);
  }

  private static Void append(SqlRunStore store, String run, int n) {
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    try (RunRecorder rec =
        store.create(new RunInfo(run, "bench", null, "version: 1\n", Map.of(), t))) {
      for (int i = 1; i <= n; i++) {
        rec.append(
            new RecordedEvent(
                i, t.plusMillis(i), run, new Event.NodeOutput("node", "stdout", "line " + i)));
      }
    }
    return null;
  }

  private static void report(String store, String what, String format, Object... args) {
    System.out.printf(
        Locale.ROOT, "%-11s %-15s %s%n", store, what, String.format(Locale.ROOT, format, args));
  }

  private static void delete(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
