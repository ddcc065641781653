package dev.orchestra.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads that cannot exhaust memory or block, on real devices and FIFOs. */
class BoundedReadTest {
  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path fifo = dir.resolve(name);
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    return fifo;
  }

  @Test
  void refusesDevZeroAFifoAndADirectoryBeforeOpeningThem() throws Exception {
    Path fifo = fifo("pipe");

    for (Path file : new Path[] {Path.of("/dev/zero"), fifo, dir}) {
      assertThatThrownBy(
              () -> BoundedRead.text(file, "output 'o'", 1 << 20, Duration.ofMinutes(5), true))
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("output 'o' (" + file + ") is ")
          .hasMessageEndingWith("; only a regular file is read");
    }
  }

  @Test
  void givesUpOnAReadThatBlocksWhenItsTimeIsUp() throws Exception {
    // As if the FIFO had replaced a checked regular file between the check and the open.
    Path fifo = fifo("swapped");

    assertThatThrownBy(
            () ->
                BoundedRead.within(
                    fifo, "output 'o'", 100, Duration.ofMillis(300), StandardOpenOption.READ))
        .isInstanceOf(IOException.class)
        .hasMessage("reading output 'o' (" + fifo + ") did not finish within 300 ms");

    // Opening the other end lets the abandoned reader's open return (and closing it, its read),
    // so that its thread ends; it was interrupted, so it may close its end first: write nothing.
    new FileOutputStream(fifo.toFile()).close();
  }

  @Test
  void refusesAFileLargerThanTheCapWithoutReadingAllOfIt() throws IOException {
    Path big = Files.write(dir.resolve("big.txt"), new byte[3 << 20]);

    assertThatThrownBy(
            () -> BoundedRead.bytes(big, "output 'o'", 1 << 20, Duration.ofMinutes(1), false))
        .hasMessage("output 'o' (" + big + ") is 3 MiB, larger than the 1 MiB it may be");
  }

  @Test
  void refusesALinkWhenTold() throws IOException {
    Path target = Files.writeString(dir.resolve("t.txt"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("l.txt"), target);

    assertThat(BoundedRead.text(link, "f", 10, Duration.ofSeconds(5), true)).isEqualTo("x");
    assertThatThrownBy(() -> BoundedRead.text(link, "f", 10, Duration.ofSeconds(5), false))
        .hasMessage("f (" + link + ") is a symbolic link; only a regular file is read");
  }
}
