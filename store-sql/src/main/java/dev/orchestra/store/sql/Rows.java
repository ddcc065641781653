package dev.orchestra.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestra.OrchestraException;
import dev.orchestra.event.Usage;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How values become columns and back: times as nanoseconds, maps as JSON, usage as four columns.
 */
final class Rows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NANOS = 1_000_000_000L;

  private Rows() {}

  /** Nanoseconds since the epoch: exact for every instant from 1677 to 2262. */
  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS), t.getNano());
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
  }

  static String json(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new OrchestraException("cannot write a map as JSON", e);
    }
  }

  static Map<String, String> map(String json) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new OrchestraException("unreadable JSON in the database: " + e.getOriginalMessage(), e);
    }
  }

  /** Sets four parameters from {@code at}: input and output tokens, cost, whether estimated. */
  static void setUsage(PreparedStatement s, int at, Usage u) throws SQLException {
    if (u == null) {
      s.setNull(at, Types.BIGINT);
      s.setNull(at + 1, Types.BIGINT);
      s.setNull(at + 2, Types.VARCHAR);
      s.setNull(at + 3, Types.BOOLEAN);
      return;
    }
    s.setLong(at, u.inputTokens());
    s.setLong(at + 1, u.outputTokens());
    s.setString(at + 2, u.costUsd().toPlainString());
    s.setBoolean(at + 3, u.costEstimated());
  }

  /** The usage in the columns {@code input_tokens … cost_estimated}, or {@code null}. */
  static Usage usage(ResultSet r) throws SQLException {
    String cost = r.getString("cost_usd");
    if (cost == null) {
      return null;
    }
    return new Usage(
        r.getLong("input_tokens"),
        r.getLong("output_tokens"),
        new BigDecimal(cost),
        r.getBoolean("cost_estimated"));
  }

  static void setNullableLong(PreparedStatement s, int at, Long value) throws SQLException {
    if (value == null) {
      s.setNull(at, Types.BIGINT);
    } else {
      s.setLong(at, value);
    }
  }
}
