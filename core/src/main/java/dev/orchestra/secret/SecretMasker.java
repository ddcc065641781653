package dev.orchestra.secret;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces the secrets of a run with {@value #MASK} wherever they would be shown or recorded. Each
 * secret is matched in the forms {@link SecretForms} lists — as is, JSON-escaped, shell-quoted,
 * URL-encoded, base64 (also inside the base64 of a longer text), hex — and with line breaks
 * anywhere in it (also JSON's {@code \n}), so a value wrapped over lines, such as wrapped base64,
 * is masked in a text as in a stream ({@link #lines()}). Line breaks inside a masked value are
 * kept: each piece becomes a mask of its own.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not masked: masking every short word
 * in all output would garble it (a short value and its forms turn up by chance in megabytes of
 * output) and reveal the value by where the masks fall. {@link #add} reports whether a value will
 * be masked so that callers can warn.
 *
 * <p>Cost: one pass over the text whatever the number of secrets and forms (an Aho–Corasick
 * automaton over all forms, {@link FormMatcher}); {@code bench/}'s {@code MaskingBenchmark}
 * measures it with 20 secrets. Adding a secret rebuilds the automaton: O(total length of all
 * forms). Thread-safe: secrets may be added while output is being masked; a text masked before a
 * secret was added keeps it.
 */
public final class SecretMasker {
  /** What a secret is replaced by. */
  public static final String MASK = "****";

  /** Secrets shorter than this are not masked. */
  public static final int MIN_LENGTH = 8;

  /** A line is held back when it ends with at least this many leading characters of a form. */
  private static final int HOLD_MIN = 2;

  private final Set<String> secrets = new LinkedHashSet<>();
  private volatile Forms forms = Forms.NONE;

  /**
   * Masks {@code secret} from now on.
   *
   * @return whether it will be masked ({@code false} when shorter than {@value #MIN_LENGTH})
   */
  public synchronized boolean add(String secret) {
    if (secret == null || secret.length() < MIN_LENGTH) {
      return false;
    }
    if (secrets.add(secret)) {
      Set<String> all = new LinkedHashSet<>();
      for (String s : secrets) {
        all.addAll(formsOf(s));
      }
      forms = new Forms(all);
    }
    return true;
  }

  /** Whether no secret is masked. */
  public boolean isEmpty() {
    return forms.text.isEmpty();
  }

  /** {@code text} with every form of every secret replaced by {@value #MASK}; null stays null. */
  public String mask(String text) {
    Forms f = forms;
    if (text == null || f.text.isEmpty()) {
      return text;
    }
    boolean[] cover = f.text.scan(text, Integer.MAX_VALUE).cover();
    return cover == null ? text : render(text, cover, 0, text.length());
  }

  /** A copy of {@code values} with each value masked. */
  public Map<String, String> mask(Map<String, String> values) {
    if (values == null || isEmpty()) {
      return values;
    }
    Map<String, String> masked = new LinkedHashMap<>();
    values.forEach((k, v) -> masked.put(k, mask(v)));
    return masked;
  }

  /** {@code bytes} with the UTF-8 bytes of every form replaced by {@value #MASK}. */
  public byte[] mask(byte[] bytes) {
    Forms f = forms;
    if (f.bytes.isEmpty()) {
      return bytes;
    }
    // ISO-8859-1 maps each byte to one char and back, so matching works on any file content.
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    boolean[] cover = f.bytes.scan(text, Integer.MAX_VALUE).cover();
    return cover == null
        ? bytes
        : render(text, cover, 0, text.length()).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Masks every regular file under {@code dir} in place (atomically replaced when changed); files
   * larger than {@code maxBytes} are left alone. Symbolic links are not followed.
   *
   * @throws OrchestraException when a file cannot be read or replaced
   */
  public void maskFiles(Path dir, long maxBytes) {
    if (isEmpty() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (IOException e) {
      throw new OrchestraException("cannot list " + dir + " to mask secrets: " + e.getMessage(), e);
    }
    for (Path file : files) {
      try {
        if (Files.size(file) > maxBytes) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        byte[] masked = mask(bytes);
        if (masked != bytes) {
          Path temp = file.resolveSibling(file.getFileName() + ".masking");
          Files.write(temp, masked);
          Files.move(
              temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new OrchestraException(
            "cannot mask secrets in " + file + ": " + e.getMessage() + "; check its permissions",
            e);
      }
    }
  }

  /**
   * A masker for the consecutive lines of one output stream, which also masks a secret split across
   * lines (e.g. wrapped base64, or a long line cut in pieces): a line that ends with the start of a
   * form (at least two characters of it) is held back until the following lines show whether the
   * form goes on, or until {@link Lines#flush()}. Such lines are rare, so output is seldom delayed.
   * Matching ignores the line breaks.
   */
  public Lines lines() {
    return new Lines();
  }

  /** See {@link SecretMasker#lines()}. Thread-safe (synchronised); one instance per stream. */
  public final class Lines {
    /**
     * The end of the released lines, at least twice as long as the longest form: read again only
     * when a secret was added, to find the automaton's state after them.
     */
    private final ArrayDeque<String> context = new ArrayDeque<>();

    private int contextLength;
    private final List<Held> held = new ArrayList<>();

    /** The forms {@link #state} belongs to. */
    private Forms stateForms = Forms.NONE;

    /** The matcher's state after the released lines. */
    private int state = FormMatcher.START;

    private Lines() {}

    /** Takes the next line (without its line break); returns the lines ready to emit, masked. */
    public synchronized List<String> accept(String line) {
      Forms f = forms;
      held.add(new Held(line));
      if (f.text.isEmpty()) {
        return release(held.size(), f, FormMatcher.START);
      }
      if (f != stateForms) {
        // A secret was added: go on from the state the new forms have after the released lines.
        state = f.text.scan(String.join("", context), Integer.MAX_VALUE).state();
        stateForms = f;
      }
      CharSequence joined = held.size() == 1 ? line : joined(held.size());
      FormMatcher.Scan scan = f.text.scan(joined, state, HOLD_MIN);
      boolean[] cover = scan.cover();
      int offset = 0;
      int ready = 0;
      for (Held h : held) {
        if (cover != null) {
          h.cover(cover, offset);
        }
        offset += h.text.length();
        if (offset <= scan.pending()) {
          ready++;
        }
      }
      int after =
          ready == held.size()
              ? scan.state()
              : ready == 0 ? state : f.text.scan(joined(ready), state, Integer.MAX_VALUE).state();
      return release(ready, f, after);
    }

    private String joined(int count) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < count; i++) {
        out.append(held.get(i).text);
      }
      return out.toString();
    }

    /** Emits the first {@code count} held lines, after which the matcher is in {@code after}. */
    private List<String> release(int count, Forms f, int after) {
      List<String> ready = new ArrayList<>(count);
      int keep = 2 * f.text.longest();
      for (int i = 0; i < count; i++) {
        Held h = held.remove(0);
        ready.add(h.render());
        context.addLast(h.text);
        contextLength += h.text.length();
        while (!context.isEmpty() && contextLength - context.peekFirst().length() >= keep) {
          contextLength -= context.removeFirst().length();
        }
      }
      state = after;
      return ready;
    }

    /** The held lines, masked; call when the stream has ended. */
    public synchronized List<String> flush() {
      List<String> ready = new ArrayList<>(held.size());
      for (Held h : held) {
        ready.add(h.render());
      }
      held.clear();
      context.clear();
      contextLength = 0;
      state = FormMatcher.START;
      return ready;
    }
  }

  /** A line held back, and which of its characters belong to a secret so far. */
  private static final class Held {
    final String text;
    boolean[] cover;

    Held(String text) {
      this.text = text;
    }

    /** Adds the covered characters of a text in which this line starts at {@code offset}. */
    void cover(boolean[] joined, int offset) {
      for (int i = 0; i < text.length(); i++) {
        if (joined[offset + i]) {
          if (cover == null) {
            cover = new boolean[text.length()];
          }
          cover[i] = true;
        }
      }
    }

    String render() {
      return cover == null ? text : SecretMasker.render(text, cover, 0, text.length());
    }
  }

  /**
   * {@code text[from, to)} with each run of covered characters replaced by one mask; line breaks in
   * a run stay, so that a value wrapped over lines keeps its lines (one mask on each).
   */
  private static String render(String text, boolean[] cover, int from, int to) {
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      int plain = i;
      while (i < to && (!cover[i] || isLineBreak(text.charAt(i)))) {
        i++;
      }
      out.append(text, plain, i);
      if (i < to) {
        out.append(MASK);
        while (i < to && cover[i] && !isLineBreak(text.charAt(i))) {
          i++;
        }
      }
    }
    return out.toString();
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
  }

  /** The forms of one secret that are at least {@value #MIN_LENGTH} characters long. */
  static Set<String> formsOf(String secret) {
    return SecretForms.of(secret, MIN_LENGTH);
  }

  /** An immutable snapshot of all forms: matchers for text and for UTF-8 bytes read as Latin-1. */
  private static final class Forms {
    static final Forms NONE = new Forms(Set.of());

    final FormMatcher text;
    final FormMatcher bytes;

    Forms(Set<String> forms) {
      List<String> b = new ArrayList<>(forms.size());
      for (String f : forms) {
        b.add(new String(f.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
      }
      this.text = FormMatcher.of(forms);
      this.bytes = FormMatcher.of(b);
    }
  }
}
