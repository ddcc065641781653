package dev.orchestra.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits one process stream into lines and hands them to a listener as they arrive. Bytes are
 * decoded as UTF-8, malformed input becomes U+FFFD; a trailing {@code \r} is dropped; a final line
 * without a line break is delivered at end of stream; a line longer than {@link #MAX_LINE_BYTES} is
 * delivered in pieces of at most that size, cut at a character boundary, so that binary output
 * without line breaks cannot exhaust memory.
 */
final class OutputLines implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLines.class);

  /** The longest piece delivered as one line. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final InputStream in;
  private final OutputStream stream;
  private final OutputListener listener;
  private final Runnable whenDrained;
  private byte[] line = new byte[256];
  private int length;
  private boolean listenerFailed;

  OutputLines(InputStream in, OutputStream stream, OutputListener listener, Runnable whenDrained) {
    this.in = in;
    this.stream = stream;
    this.listener = listener;
    this.whenDrained = whenDrained;
  }

  @Override
  public void run() {
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            append(buffer, start, i - start);
            emit(length);
            start = i + 1;
          }
        }
        append(buffer, start, n - start);
      }
      if (length > 0) {
        emit(length);
      }
    } catch (IOException e) {
      // The stream is closed under us only when the process is being torn down.
      LOG.debug("stopped reading {}: {}", stream.wireName(), e.toString());
    } finally {
      whenDrained.run();
    }
  }

  private void append(byte[] bytes, int offset, int count) {
    while (count > 0) {
      int room = MAX_LINE_BYTES - length;
      int take = Math.min(room, count);
      ensureCapacity(length + take);
      System.arraycopy(bytes, offset, line, length, take);
      length += take;
      offset += take;
      count -= take;
      if (length == MAX_LINE_BYTES) {
        emitLongPiece();
      }
    }
  }

  private void ensureCapacity(int needed) {
    if (needed > line.length) {
      line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(needed, line.length * 2)));
    }
  }

  /** Delivers a full buffer without cutting a UTF-8 sequence in two; keeps the cut-off bytes. */
  private void emitLongPiece() {
    int cut = length - incompleteSequenceLength();
    int rest = length - cut;
    byte[] carried = Arrays.copyOfRange(line, cut, length);
    deliver(new String(line, 0, cut, StandardCharsets.UTF_8));
    System.arraycopy(carried, 0, line, 0, rest);
    length = rest;
  }

  /** How many bytes at the end of the buffer begin a UTF-8 sequence that is not complete yet. */
  private int incompleteSequenceLength() {
    int start = length - 1;
    while (start > 0 && length - start < 4 && (line[start] & 0xC0) == 0x80) {
      start--;
    }
    int lead = line[start] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    int present = length - start;
    return present < needed ? present : 0;
  }

  private void emit(int end) {
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    deliver(new String(line, 0, end, StandardCharsets.UTF_8));
    length = 0;
    if (line.length > 64 * 1024) {
      line = new byte[256]; // do not hold on to a huge buffer after one long line
    }
  }

  private void deliver(String text) {
    try {
      listener.onLine(stream, text);
    } catch (RuntimeException e) {
      // Keep draining: a process blocks forever once its pipe is full.
      if (!listenerFailed) {
        listenerFailed = true;
        LOG.warn("output listener failed on {}; later lines are still read", stream.wireName(), e);
      }
    }
  }
}
