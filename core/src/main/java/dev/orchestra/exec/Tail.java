package dev.orchestra.exec;

/**
 * The end of a text that may be far too long to keep: holds at most {@code limitBytes} of UTF-8,
 * dropping the oldest text first. Used for check output (docs/checks.md: a 4 KiB tail) and agent
 * output. Thread-safe: lines from stdout and stderr may be appended concurrently.
 */
public final class Tail {

  /** The size of the tail kept for check feedback (docs/checks.md). */
  public static final int FEEDBACK_BYTES = 4 * 1024;

  private final int limitBytes;
  private final StringBuilder text = new StringBuilder();
  private long droppedChars;

  /**
   * @param limitBytes the most UTF-8 bytes {@link #toString()} returns; at least 1
   */
  public Tail(int limitBytes) {
    if (limitBytes < 1) {
      throw new IllegalArgumentException("limitBytes must be >= 1, was " + limitBytes);
    }
    this.limitBytes = limitBytes;
  }

  /** A tail of {@link #FEEDBACK_BYTES}. */
  public static Tail forFeedback() {
    return new Tail(FEEDBACK_BYTES);
  }

  /** The tail of {@code text}: its last {@code limitBytes} bytes at most, cut at a character. */
  public static String of(String text, int limitBytes) {
    var tail = new Tail(limitBytes);
    tail.append(text);
    return tail.toString();
  }

  /** Appends {@code line} and a line break. */
  public synchronized Tail appendLine(String line) {
    return append(line).append("\n");
  }

  public synchronized Tail append(String s) {
    text.append(s);
    // Every char encodes to at least one UTF-8 byte, so the last limitBytes chars always hold the
    // last limitBytes bytes; trimming only at twice that keeps appends amortised O(length).
    if (text.length() > 2 * limitBytes) {
      int drop = text.length() - limitBytes;
      if (Character.isLowSurrogate(text.charAt(drop))) {
        drop++;
      }
      text.delete(0, drop);
      droppedChars += drop;
    }
    return this;
  }

  /** Whether text was dropped, so that {@link #toString()} is not all that was appended. */
  public synchronized boolean truncated() {
    return droppedChars > 0 || toString().length() < text.length();
  }

  /** The kept text: at most {@code limitBytes} UTF-8 bytes, never a broken character. */
  @Override
  public synchronized String toString() {
    int start = text.length();
    int bytes = 0;
    while (start > 0) {
      int cp = Character.codePointBefore(text, start);
      int size = utf8Size(cp);
      if (bytes + size > limitBytes) {
        break;
      }
      bytes += size;
      start -= Character.charCount(cp);
    }
    return text.substring(start);
  }

  private static int utf8Size(int codePoint) {
    if (codePoint < 0x80) {
      return 1;
    } else if (codePoint < 0x800) {
      return 2;
    } else if (codePoint < 0x10000) {
      return 3;
    }
    return 4;
  }
}
