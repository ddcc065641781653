package dev.orchestra.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageJsonTest {
  final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Test
  void recordsAndEventsWriteTheSameFormAndReadItBack() throws Exception {
    Usage usage = new Usage(1200, 340, new BigDecimal("0.1000000000000000001"), true);
    ObjectNode record = json.createObjectNode();
    UsageJson.put(record, usage);
    String event =
        EventJson.encode(
            new RecordedEvent(
                1, Instant.EPOCH, "r", new Event.RunFinished(RunStatus.SUCCEEDED, usage, null)));

    assertThat(json.readTree(event).get("usage")).hasToString(record.get("usage").toString());
    assertThat(UsageJson.read(record.get("usage"))).isEqualTo(usage);
  }

  @Test
  void aMissingOrMalformedUsageIsZeroInRecordsAndEventsAlike() throws Exception {
    assertThat(UsageJson.read(null)).isEqualTo(Usage.ZERO);
    assertThat(UsageJson.read(json.readTree("[1, 2]"))).isEqualTo(Usage.ZERO);
    assertThat(UsageJson.read(json.readTree("{\"input_tokens\": 5, \"cost_usd\": \"x\"}")))
        .isEqualTo(new Usage(5, 0, BigDecimal.ZERO));

    RecordedEvent finished =
        EventJson.decode(
            "{\"seq\":2,\"time\":\"1970-01-01T00:00:00Z\",\"run\":\"r\",\"type\":\"node_finished\","
                + "\"node\":\"a\",\"status\":\"skipped\",\"attempts\":0,\"duration_ms\":0}");
    assertThat(((Event.NodeFinished) finished.event()).usage()).isEqualTo(Usage.ZERO);
    assertThat(new Event.RunFinished(RunStatus.FAILED, null, "x").usage()).isEqualTo(Usage.ZERO);
  }
}
