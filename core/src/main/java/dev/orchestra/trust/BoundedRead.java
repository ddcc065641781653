package dev.orchestra.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a file that someone else wrote (an agent, a check, a repository) without letting it exhaust
 * memory or block: only a regular file, at most a given number of bytes, within a given time. A
 * FIFO, a device ({@code /dev/zero}), a directory or a socket is refused before it is opened, so
 * that opening cannot block; the read itself runs on a daemon thread that is abandoned (and
 * interrupted) when the time is up, in case the file was swapped for something that blocks between
 * the check and the open, or lives on a file system that hangs.
 *
 * <p>Thread-safe and stateless but for its shared pool of reader threads.
 */
public final class BoundedRead {
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          new java.util.concurrent.ThreadFactory() {
            private final AtomicInteger n = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
              Thread t = new Thread(r, "orchestra-file-read-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            }
          });

  private BoundedRead() {}

  /**
   * The UTF-8 text of {@code file}.
   *
   * @param what what the file is, for messages ({@code context file docs/x.md})
   * @param capBytes the most bytes read; a larger file is refused
   * @param timeout the most time the read may take
   * @param followLinks whether a symbolic link as the last part of {@code file} is followed; {@code
   *     false} refuses it
   * @throws IOException whose message names {@code what}, the file and what is wrong: it does not
   *     exist, is not a regular file, is larger than the cap, is not UTF-8, did not finish in time
   */
  public static String text(
      Path file, String what, long capBytes, Duration timeout, boolean followLinks)
      throws IOException {
    byte[] bytes = bytes(file, what, capBytes, timeout, followLinks);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(what + " (" + file + ") is not UTF-8 text", e);
    }
  }

  /** The bytes of {@code file}; as {@link #text}. */
  public static byte[] bytes(
      Path file, String what, long capBytes, Duration timeout, boolean followLinks)
      throws IOException {
    LinkOption[] links =
        followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributes attrs;
    try {
      attrs = java.nio.file.Files.readAttributes(file, BasicFileAttributes.class, links);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, what + " does not exist");
    }
    String kind = kind(attrs);
    if (kind != null) {
      throw new IOException(what + " (" + file + ") " + kind + "; only a regular file is read");
    }
    if (attrs.size() > capBytes) {
      throw new IOException(tooLarge(what, file, attrs.size(), capBytes));
    }
    OpenOption[] options =
        followLinks
            ? new OpenOption[] {StandardOpenOption.READ}
            : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    return within(file, what, capBytes, timeout, options);
  }

  /**
   * Opens and reads {@code file} on a reader thread, waiting at most {@code timeout}: the backstop
   * for a file that blocks although it looked like a regular file when it was checked.
   */
  static byte[] within(
      Path file, String what, long capBytes, Duration timeout, OpenOption... options)
      throws IOException {
    Future<byte[]> read =
        READERS.submit(
            () -> {
              try (InputStream in = Channels.newInputStream(FileChannel.open(file, options))) {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, capBytes + 1));
              }
            });
    byte[] bytes;
    try {
      bytes = read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      read.cancel(true);
      throw new IOException(
          "reading " + what + " (" + file + ") did not finish within " + duration(timeout), e);
    } catch (InterruptedException e) {
      read.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + what + " (" + file + ")", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new IOException("cannot read " + what + " (" + file + "): " + io.getMessage(), io);
      }
      throw new IOException("cannot read " + what + " (" + file + "): " + cause, cause);
    }
    if (bytes.length > capBytes) {
      throw new IOException(tooLarge(what, file, bytes.length, capBytes));
    }
    return bytes;
  }

  /**
   * Why {@code attrs} are not those of a regular file ({@code is a directory}), or {@code null}.
   */
  public static String kind(BasicFileAttributes attrs) {
    if (attrs.isRegularFile()) {
      return null;
    }
    if (attrs.isDirectory()) {
      return "is a directory";
    }
    if (attrs.isSymbolicLink()) {
      return "is a symbolic link";
    }
    return "is not a regular file (a device, a FIFO or a socket)";
  }

  private static String tooLarge(String what, Path file, long size, long cap) {
    return what
        + " ("
        + file
        + ") is "
        + (size > cap + 1 ? size(size) : "more than " + size(cap))
        + ", larger than the "
        + size(cap)
        + " it may be";
  }

  /** {@code 1 MiB}, {@code 64 KiB}, {@code 1.5 MiB}, {@code 12 bytes}. */
  public static String size(long bytes) {
    if (bytes >= 1L << 20) {
      double mib = bytes / (double) (1L << 20);
      return mib == Math.rint(mib)
          ? (long) mib + " MiB"
          : String.format(Locale.ROOT, "%.1f MiB", mib);
    }
    if (bytes >= 1L << 10 && bytes % 1024 == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + (bytes == 1 ? " byte" : " bytes");
  }

  private static String duration(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
