package dev.orchestra.docker;

import dev.orchestra.exec.OutputListener;
import dev.orchestra.exec.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the chunks of one container stream into lines, as {@code LocalExecutor} does for a pipe:
 * UTF-8 (malformed input becomes U+FFFD), a trailing {@code \r} dropped, a last line without a
 * break delivered by {@link #finish()}, and lines longer than {@link #MAX_LINE_BYTES} delivered in
 * pieces so that output without line breaks cannot exhaust memory. Not thread-safe: docker-java
 * delivers one attach stream's frames on one thread.
 */
final class FrameLines {
  static final int MAX_LINE_BYTES = 1 << 20;

  private final OutputStream stream;
  private final OutputListener listener;
  private byte[] line = new byte[256];
  private int length;

  FrameLines(OutputStream stream, OutputListener listener) {
    this.stream = stream;
    this.listener = listener;
  }

  void accept(byte[] bytes) {
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(bytes, start, bytes.length - start);
  }

  /** Delivers the last line when the stream ended without a line break. */
  void finish() {
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
