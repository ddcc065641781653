package dev.orchestra.docker;

import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the chunks of one container stream into lines, as {@code LocalExecutor} does for a pipe:
 * UTF-8 (malformed input becomes U+FFFD), a trailing {@code \r} dropped, a last line without a
 * break delivered by {@link #finish()}, and lines longer than {@link #MAX_LINE_BYTES} delivered in
 * pieces so that output without line breaks cannot exhaust memory.
 *
 * <p>A log followed live may miss its last bytes when the container ends (the engine stops the
 * stream before it has read all of the log), so the execution reads the whole log once more at the
 * end and hands it to {@link #acceptReplay}, which delivers only what the live stream missed.
 * Thread-safe: the live stream and the replay come on different threads.
 */
final class FrameLines {
  static final int MAX_LINE_BYTES = 1 << 20;

  private final OutputStream stream;
  private final OutputListener listener;
  private byte[] line = new byte[256];
  private int length;
  private long received;
  private boolean sealed;
  private long skip;

  FrameLines(OutputStream stream, OutputListener listener) {
    this.stream = stream;
    this.listener = listener;
  }

  /** A chunk of the live stream; ignored once {@link #seal() sealed}. */
  synchronized void accept(byte[] bytes) {
    if (sealed) {
      return;
    }
    received += bytes.length;
    split(bytes, 0, bytes.length);
  }

  /**
   * Ends the live stream: later chunks of it are dropped, and {@link #acceptReplay} skips the bytes
   * it already delivered.
   */
  synchronized void seal() {
    sealed = true;
    skip = received;
  }

  /**
   * A chunk of the whole stream read again from its start after {@link #seal()}: only what the live
   * stream did not deliver goes on.
   */
  synchronized void acceptReplay(byte[] bytes) {
    int from = (int) Math.min(skip, bytes.length);
    skip -= from;
    split(bytes, from, bytes.length - from);
  }

  private void split(byte[] bytes, int offset, int count) {
    int start = offset;
    int end = offset + count;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
  }

  /** Delivers the last line when the stream ended without a line break. */
  synchronized void finish() {
    if (length > 0) {
      emit();
    }
  }

  private void append(byte[] bytes, int offset, int count) {
    while (count > 0) {
      int take = Math.min(MAX_LINE_BYTES - length, count);
      if (length + take > line.length) {
        line =
            Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(length + take, line.length * 2)));
      }
      System.arraycopy(bytes, offset, line, length, take);
      length += take;
      offset += take;
      count -= take;
      if (length == MAX_LINE_BYTES) {
        emit();
      }
    }
  }

  private void emit() {
    int end = length;
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    length = 0;
    listener.onLine(stream, new String(line, 0, end, StandardCharsets.UTF_8));
  }
}
