package dev.orchestra.server.github;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import dev.orchestra.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every webhook delivery and its decision, appended to {@code deliveries.jsonl} (one JSON object a
 * line, flushed to disk before the delivery is acted on), so that a delivery id seen once is
 * refused as a replay also after a restart. Keeps the latest {@value #KEPT} deliveries in memory
 * for the API and every verified id for replays. Thread-safe.
 */
public final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  static final int KEPT = 1000;

  private final Path file;
  private final Set<String> seen = new HashSet<>();
  private final Deque<Delivery> latest = new ArrayDeque<>();

  private Deliveries(Path file) {
    this.file = file;
  }

  /** The deliveries recorded in {@code file} (created on the first delivery). */
  public static Deliveries open(Path file) {
    Deliveries d = new Deliveries(file);
    d.load();
    return d;
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    Map<String, Delivery> byKey = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot read "
              + file
              + ": "
              + e.getMessage()
              + "; the server refuses to start without it, since it would take replayed"
              + " deliveries again",
          e);
    }
    int n = 0;
    for (String line : lines) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      try {
        Delivery d = Json.MAPPER.treeToValue(Json.MAPPER.readTree(line), Delivery.class);
        if (d.verified() && d.decision() != Delivery.Decision.REPLAY) {
          seen.add(d.id());
          byKey.remove(d.id());
          byKey.put(d.id(), d);
        } else {
          byKey.put("unverified-" + n, d);
        }
      } catch (IOException e) {
        // A line cut short by a crash is the last one; anything else is worth a warning.
        LOG.warn("{}:{}: skipped a line that is not a delivery: {}", file, n, e.getMessage());
      }
    }
    byKey.values().forEach(this::keep);
  }

  /**
   * Records verified delivery {@code d} unless its id was seen before.
   *
   * @return false for a replay (nothing recorded)
   */
  public synchronized boolean claim(Delivery d) {
    if (!d.verified() || d.decision() == Delivery.Decision.REPLAY) {
      throw new IllegalArgumentException(
          "only a verified delivery that is no replay claims its id");
    }
    if (!seen.add(d.id())) {
      return false;
    }
    append(d);
    keep(d);
    return true;
  }

  /** Records {@code d}: a new delivery, or the decision on one {@link #claim claimed}. */
  public synchronized void record(Delivery d) {
    append(d);
    if (d.verified() && d.decision() != Delivery.Decision.REPLAY) {
      latest.removeIf(old -> old.verified() && old.id().equals(d.id()));
    }
    keep(d);
  }

  /** Whether verified delivery {@code id} was seen. */
  public synchronized boolean seen(String id) {
    return seen.contains(id);
  }

  /** The latest deliveries, newest first, at most {@code limit}. */
  public synchronized List<Delivery> list(int limit) {
    List<Delivery> out = new ArrayList<>(Math.min(limit, latest.size()));
    for (Delivery d : latest) {
      if (out.size() == limit) {
        break;
      }
      out.add(d);
    }
    return out;
  }

  private void keep(Delivery d) {
    latest.addFirst(d);
    while (latest.size() > KEPT) {
      latest.removeLast();
    }
  }

  private void append(Delivery d) {
    try {
      Files.createDirectories(file.getParent());
      ObjectNode node = Json.MAPPER.valueToTree(d);
      byte[] line = (Json.MAPPER.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record a webhook delivery in " + file, e);
    }
  }
}
