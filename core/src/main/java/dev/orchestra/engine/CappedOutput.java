package dev.orchestra.engine;

import dev.orchestra.exec.OutputStream;
import dev.orchestra.trust.Trust;
import dev.orchestra.workflow.Logs;
import dev.orchestra.workflow.NodeSpec;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * One attempt's output lines on their way to one place (its records, or its {@code node_output}
 * events), kept proportional to what is useful: the first lines up to a head limit pass at once;
 * past it only the last lines up to a tail limit are kept, and {@link #finish()} passes them after
 * a line saying how many lines and how much text were left out. An agent that prints 200 MiB leaves
 * the head and the tail, not 200 MiB of records or an event per line.
 *
 * <p>Sizes count characters plus one per line break. Thread-safe: stdout and stderr lines arrive
 * from two reader threads; lines are passed on in the order they were accepted, outside the lock
 * only while the head lasts.
 *
 * @param <S> what names a line's stream ({@link OutputStream} for records, its wire name for
 *     events)
 */
final class CappedOutput<S> {
  /**
   * Per stream of an attempt in its records: the first half of the node's {@code logs} cap, then
   * the last half ({@link Logs#DEFAULT}: 4 MiB and 4 MiB); everything for {@link Logs#UNLIMITED}.
   */
  static Limits records(Logs logs) {
    if (logs.isUnlimited()) {
      return new Limits(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0);
    }
    long head = logs.max() / 2;
    return new Limits(head, Long.MAX_VALUE, logs.max() - head, Long.MAX_VALUE);
  }

  /**
   * The {@code logs} cap a node's attempts are recorded with: its own, or the defaults', or {@link
   * Logs#DEFAULT}; an untrusted run's at most {@link Logs#UNTRUSTED_CEILING} (validation refuses
   * more, but a workflow may have skipped it).
   */
  static Logs logs(NodeSpec spec, Trust trust) {
    Logs logs = spec.logsOrDefault();
    return trust.isLocal() ? logs : logs.untrusted();
  }

  /**
   * All {@code node_output} events of an attempt: 1 MiB or 10,000 lines from the start, then the
   * last 64 KiB or 1,000 lines. The live views, {@code --json} and {@code events.jsonl} get these.
   */
  static final Limits EVENTS = new Limits(1L << 20, 10_000, 64L << 10, 1_000);

  /**
   * How much passes: {@code headChars} or {@code headLines} from the start, whichever ends first,
   * then at most {@code tailChars} and {@code tailLines} from the end.
   */
  record Limits(long headChars, long headLines, long tailChars, long tailLines) {}

  /** What to say where the output was cut. */
  interface Cut<S> {
    /** The line passed at the first line past the head, or {@code null} for none. */
    String started(Limits limits);

    /** The line passed before the tail, naming what was left out. */
    String leftOut(long lines, long chars, Limits limits);

    /** The stream the cut lines are passed on. */
    S stream();
  }

  private record Line<S>(S stream, String text) {}

  private final Limits limits;
  private final Cut<S> cut;
  private final BiConsumer<S, String> out;
  private final ArrayDeque<Line<S>> tail = new ArrayDeque<>();
  private long headChars;
  private long headLines;
  private long tailChars;
  private long droppedLines;
  private long droppedChars;
  private boolean past;

  CappedOutput(Limits limits, Cut<S> cut, BiConsumer<S, String> out) {
    this.limits = limits;
    this.cut = cut;
    this.out = out;
  }

  /** Passes {@code text} on, or keeps it for the tail. */
  void accept(S stream, String text) {
    long size = text.length() + 1L;
    String started = null;
    synchronized (this) {
      if (!past && headLines < limits.headLines() && headChars + size <= limits.headChars()) {
        headLines++;
        headChars += size;
      } else {
        if (!past) {
          past = true;
          started = cut.started(limits);
        }
        tail.addLast(new Line<>(stream, text));
        tailChars += size;
        while (tail.size() > limits.tailLines() || tailChars > limits.tailChars()) {
          Line<S> dropped = tail.removeFirst();
          tailChars -= dropped.text().length() + 1L;
          droppedLines++;
          droppedChars += dropped.text().length() + 1L;
        }
        if (started == null) {
          return;
        }
      }
    }
    if (started != null) {
      out.accept(cut.stream(), started);
      return;
    }
    out.accept(stream, text);
  }

  /** Passes the kept tail, after the line that names what was left out if anything was. */
  synchronized void finish() {
    if (droppedLines > 0) {
      out.accept(cut.stream(), cut.leftOut(droppedLines, droppedChars, limits));
    }
    while (!tail.isEmpty()) {
      Line<S> line = tail.removeFirst();
      out.accept(line.stream(), line.text());
    }
    tailChars = 0;
    droppedLines = 0;
    droppedChars = 0;
  }

  /** {@code 3.2 MiB}, {@code 640 KiB}, {@code 12 bytes}. */
  static String size(long chars) {
    return Logs.describe(chars);
  }

  /** The cap of one stream of an attempt's records. */
  static CappedOutput<OutputStream> records(
      OutputStream stream, Logs logs, BiConsumer<OutputStream, String> out) {
    return new CappedOutput<>(
        records(logs),
        new Cut<>() {
          @Override
          public String started(Limits limits) {
            return null;
          }

          @Override
          public String leftOut(long lines, long chars, Limits limits) {
            return String.format(
                Locale.ROOT,
                "[orchestra: %,d lines (%s) of %s were left out here: the records keep the first %s"
                    + " and the last %s of each stream of an attempt; a node's"
                    + " logs: {max: SIZE} keeps more, logs: {max: unlimited} all]",
                lines,
                size(chars),
                stream.wireName(),
                size(limits.headChars()),
                size(limits.tailChars()));
          }

          @Override
          public OutputStream stream() {
            return stream;
          }
        },
        out);
  }

  /** The cap of an attempt's {@code node_output} events. */
  static CappedOutput<String> events(BiConsumer<String, String> out) {
    return new CappedOutput<>(
        EVENTS,
        new Cut<>() {
          @Override
          public String started(Limits limits) {
            return "orchestra: this attempt's output passed "
                + size(limits.headChars())
                + " or "
                + String.format(Locale.ROOT, "%,d", limits.headLines())
                + " lines; later lines are not sent as events until it ends, when the last ones"
                + " follow (the records keep more: orchestra runs logs)";
          }

          @Override
          public String leftOut(long lines, long chars, Limits limits) {
            return String.format(
                Locale.ROOT,
                "orchestra: %,d lines (%s) of output were left out of the events here",
                lines,
                size(chars));
          }

          @Override
          public String stream() {
            return OutputStream.STDERR.wireName();
          }
        },
        out);
  }

  /**
   * The caps of one agent process of an attempt (or of a critic): one per stream of its records,
   * one for its events. Thread-safe.
   */
  static final class Attempt {
    private final CappedOutput<OutputStream> stdout;
    private final CappedOutput<OutputStream> stderr;
    private final CappedOutput<String> events;

    /**
     * @param logs how much of each stream the records keep ({@link #logs(NodeSpec, Trust)})
     * @param records where the process's lines are recorded
     * @param events where its live output goes as {@code node_output} events (stream, text)
     */
    Attempt(
        Logs logs, BiConsumer<OutputStream, String> records, BiConsumer<String, String> events) {
      this.stdout = records(OutputStream.STDOUT, logs, records);
      this.stderr = records(OutputStream.STDERR, logs, records);
      this.events = events(events);
    }

    /** Records {@code line}, or keeps it for the tail. */
    void record(OutputStream stream, String line) {
      (stream == OutputStream.STDERR ? stderr : stdout).accept(stream, line);
    }

    /** Emits {@code text} as live output, or keeps it for the tail. */
    void event(String stream, String text) {
      events.accept(stream, text);
    }

    /** Passes what each cap kept for its tail; call once the process has ended. */
    void finish() {
      stdout.finish();
      stderr.finish();
      events.finish();
    }
  }
}
