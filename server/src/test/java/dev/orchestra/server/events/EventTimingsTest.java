package dev.orchestra.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchestra.event.Event;
import dev.orchestra.event.RecordedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTimingsTest {
  @TempDir Path dir;

  @Test
  void eachEventsInstantsAreWrittenOneLineInTheOrderTheyHappened() throws Exception {
    Path file = dir.resolve("timings.tsv");
    EventTimings timings = EventTimings.writingTo(file);
    Instant stamped = Instant.now();
    RecordedEvent started =
        new RecordedEvent(1, stamped, "r1", new Event.RunStarted("w", Map.of(), false));
    RecordedEvent node = new RecordedEvent(2, stamped, "r1", new Event.NodeStarted("a", 1));
    timings.recorded(started);
    timings.fannedOut(started);
    timings.written(started, EventTimings.now());
    timings.written(started, EventTimings.now());
    timings.recorded(node);
    timings.save();

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    String[] first =
        lines.stream().filter(l -> l.startsWith("r1\t1\t")).findFirst().orElseThrow().split("\t");
    assertThat(first).hasSize(7);
    assertThat(first[2]).isEqualTo("run_started");
    long time = Long.parseLong(first[3]);
    long recorded = Long.parseLong(first[4]);
    long fannedOut = Long.parseLong(first[5]);
    String[] writes = first[6].split(",");
    assertThat(time).isEqualTo(stamped.getEpochSecond() * 1_000_000 + stamped.getNano() / 1000);
    assertThat(recorded).isGreaterThanOrEqualTo(time);
    assertThat(fannedOut).isGreaterThanOrEqualTo(recorded);
    assertThat(writes).hasSize(2);
    assertThat(Long.parseLong(writes[0])).isGreaterThanOrEqualTo(fannedOut);
    String second = lines.stream().filter(l -> l.startsWith("r1\t2\t")).findFirst().orElseThrow();
    assertThat(second.split("\t", -1)).hasSize(7).endsWith("0", "");
  }
}
