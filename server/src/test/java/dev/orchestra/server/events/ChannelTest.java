package dev.orchestra.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelTest {
  private static List<Long> keys(Channel.Batch<String> b) {
    return b.entries().stream().map(Channel.Entry::key).toList();
  }

  @Test
  void aReaderGetsWhatCameAfterItsPositionAcrossTheRingsWrap() throws Exception {
    Channel<String> c = new Channel<>(4);
    for (long k = 1; k <= 10; k++) {
      c.append(k, "e" + k);
    }
    Channel.Batch<String> mid = c.after(8, Duration.ZERO);
    assertThat(keys(mid)).containsExactly(9L, 10L);
    assertThat(mid.entries().get(0).item()).isEqualTo("e9");
    assertThat(mid.gap()).isFalse();
    assertThat(keys(c.after(6, Duration.ZERO))).containsExactly(7L, 8L, 9L, 10L);
    assertThat(c.after(6, Duration.ZERO).gap()).isFalse();
    Channel.Batch<String> behind = c.after(2, Duration.ZERO);
    assertThat(behind.gap()).isTrue();
    assertThat(keys(behind)).containsExactly(7L, 8L, 9L, 10L);
    assertThat(keys(c.after(10, Duration.ZERO))).isEmpty();
    assertThat(c.lastKey()).isEqualTo(10);
  }

  @Test
  void duplicatesAreIgnoredAndAJumpStartsAfresh() throws Exception {
    Channel<String> c = new Channel<>(8);
    c.append(1, "a");
    c.append(2, "b");
    c.append(2, "b again");
    c.append(1, "a again");
    assertThat(c.after(0, Duration.ZERO).entries())
        .extracting(Channel.Entry::item)
        .containsExactly("a", "b");
    c.append(5, "e");
    Channel.Batch<String> afterJump = c.after(2, Duration.ZERO);
    assertThat(afterJump.gap()).isTrue();
    assertThat(keys(afterJump)).containsExactly(5L);
  }

  @Test
  void aWaitingReaderWakesOnAnAppendAndOnClose() throws Exception {
    Channel<String> c = new Channel<>(8);
    CompletableFuture<List<Long>> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return keys(c.after(0, Duration.ofSeconds(60)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    c.append(1, "a");
    assertThat(waiting.get(60, TimeUnit.SECONDS)).containsExactly(1L);
    CompletableFuture<List<Long>> closing =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return keys(c.after(1, Duration.ofSeconds(60)));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    c.close();
    assertThat(closing.get(60, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void anEntryIsFoundByItsKeyWhileKeptAndAWatcherHearsEveryAppendAndTheClose() {
    Channel<String> c = new Channel<>(4);
    AtomicInteger woken = new AtomicInteger();
    c.watch(woken::incrementAndGet);
    assertThat(c.entry(1)).isNull();
    for (long k = 1; k <= 6; k++) {
      c.append(k, "e" + k);
    }
    assertThat(woken).hasValue(6);
    c.append(6, "again"); // a duplicate: not appended, no wake-up
    assertThat(woken).hasValue(6);
    assertThat(c.entry(2)).as("dropped: the ring holds 3 to 6").isNull();
    assertThat(c.entry(3)).isEqualTo(new Channel.Entry<>(3L, "e3"));
    assertThat(c.entry(6).item()).isEqualTo("e6");
    assertThat(c.entry(7)).as("not appended yet").isNull();
    assertThat(c.firstKey()).isEqualTo(3);
    c.close();
    assertThat(woken).hasValue(7);
  }
}
