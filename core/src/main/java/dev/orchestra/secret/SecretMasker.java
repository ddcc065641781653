package dev.orchestra.secret;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Replaces the secrets of a run with {@value #MASK} wherever they would be shown or recorded. Each
 * secret is matched in these forms: as is; URL-encoded ({@code +} or {@code %20} for spaces, upper-
 * or lower-case hex); and base64, standard and URL-safe, with and without padding, both on its own
 * and inside the base64 of a longer text (the three alignments of the secret to 3-byte groups;
 * there the characters that also depend on neighbouring bytes stay visible, at most two on each
 * side).
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not masked: masking every {@code "ab"}
 * in all output would garble it and reveal the secret by where the masks fall. {@link #add} reports
 * whether a value will be masked so that callers can warn.
 *
 * <p>Cost: O(text length × number of forms) per call, about 15 forms per secret. Thread-safe:
 * secrets may be added while output is being masked; a text masked before a secret was added keeps
 * it.
 */
public final class SecretMasker {
  /** What a secret is replaced by. */
  public static final String MASK = "****";

  /** Secrets shorter than this are not masked. */
  public static final int MIN_LENGTH = 4;

  /** A line is held back when it ends with at least this many leading characters of a form. */
  private static final int HOLD_MIN = 2;

  private final Set<String> secrets = new LinkedHashSet<>();
  private volatile Forms forms = new Forms(List.of());

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
      List<String> sorted = new ArrayList<>(all);
      sorted.sort(Comparator.comparingInt(String::length).reversed());
      forms = new Forms(sorted);
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
    boolean[] cover = cover(text, f.text);
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
    boolean[] cover = cover(text, f.bytes);
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
    /** The end of the released text, as long as the longest form less one character. */
    private String context = "";

    private final List<Held> held = new ArrayList<>();

    private Lines() {}

    /** Takes the next line (without its line break); returns the lines ready to emit, masked. */
    public synchronized List<String> accept(String line) {
      Forms f = forms;
      held.add(new Held(line));
      StringBuilder joined = new StringBuilder(context);
      for (Held h : held) {
        joined.append(h.text);
      }
      String text = joined.toString();
      boolean[] cover = f.text.isEmpty() ? null : cover(text, f.text);
      int offset = context.length();
      for (Held h : held) {
        if (cover != null) {
          for (int i = 0; i < h.text.length(); i++) {
            h.cover[i] |= cover[offset + i];
          }
        }
        offset += h.text.length();
      }
      int boundary = text.length() - startOfFormAtEnd(text, f.text);
      List<String> ready = new ArrayList<>(held.size());
      int end = context.length();
      StringBuilder released = new StringBuilder(context);
      while (!held.isEmpty() && end + held.get(0).text.length() <= boundary) {
        Held h = held.remove(0);
        end += h.text.length();
        released.append(h.text);
        ready.add(render(h.text, h.cover, 0, h.text.length()));
      }
      int keep = Math.min(released.length(), Math.max(0, f.longest - 1));
      context = released.substring(released.length() - keep);
      return ready;
    }

    /** The held lines, masked; call when the stream has ended. */
    public synchronized List<String> flush() {
      List<String> ready = new ArrayList<>(held.size());
      for (Held h : held) {
        ready.add(render(h.text, h.cover, 0, h.text.length()));
      }
      held.clear();
      context = "";
      return ready;
    }
  }

  /** A line held back, and which of its characters belong to a secret so far. */
  private static final class Held {
    final String text;
    final boolean[] cover;

    Held(String text) {
      this.text = text;
      this.cover = new boolean[text.length()];
    }
  }

  /**
   * The length of the longest start of a form (at least {@value #HOLD_MIN} characters, less than
   * the whole form) that {@code text} ends with; 0 when none.
   */
  private static int startOfFormAtEnd(String text, List<String> forms) {
    int n = text.length();
    int best = 0;
    for (String form : forms) {
      char first = form.charAt(0);
      for (int j = Math.min(form.length() - 1, n); j >= Math.max(HOLD_MIN, best + 1); j--) {
        if (text.charAt(n - j) == first && text.regionMatches(n - j, form, 0, j)) {
          best = j;
          break;
        }
      }
    }
    return best;
  }

  /** Which characters of {@code text} belong to a form; {@code null} when none. */
  private static boolean[] cover(String text, List<String> forms) {
    boolean[] cover = null;
    for (String form : forms) {
      int at = text.indexOf(form);
      while (at >= 0) {
        if (cover == null) {
          cover = new boolean[text.length()];
        }
        Arrays.fill(cover, at, at + form.length(), true);
        at = text.indexOf(form, at + 1);
      }
    }
    return cover;
  }

  /** {@code text[from, to)} with each run of covered characters replaced by one mask. */
  private static String render(String text, boolean[] cover, int from, int to) {
    StringBuilder out = new StringBuilder(to - from);
    int i = from;
    while (i < to) {
      if (cover[i]) {
        out.append(MASK);
        while (i < to && cover[i]) {
          i++;
        }
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString();
  }

  /** The forms of one secret that are at least {@value #MIN_LENGTH} characters long. */
  static Set<String> formsOf(String secret) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String url = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(url);
    forms.add(url.replace("+", "%20"));
    forms.add(lowerHex(url));
    forms.add(lowerHex(url.replace("+", "%20")));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      forms.add(enc.encodeToString(bytes));
      Base64.Encoder bare = enc.withoutPadding();
      forms.add(bare.encodeToString(bytes));
      for (int k = 0; k < 3; k++) {
        byte[] shifted = new byte[k + bytes.length];
        System.arraycopy(bytes, 0, shifted, k, bytes.length);
        String encoded = bare.encodeToString(shifted);
        // Characters wholly made of the secret's bits: from ceil(8k/6) to floor(8(k+len)/6).
        int start = (8 * k + 5) / 6;
        int end = 8 * (k + bytes.length) / 6;
        if (end > start) {
          forms.add(encoded.substring(start, end));
        }
      }
    }
    forms.removeIf(f -> f.length() < MIN_LENGTH);
    return forms;
  }

  private static String lowerHex(String url) {
    StringBuilder out = new StringBuilder(url.length());
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      out.append(c);
      if (c == '%' && i + 2 < url.length()) {
        out.append(url.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
        i += 2;
      }
    }
    return out.toString();
  }

  /** An immutable snapshot of all forms, longest first, as text and as UTF-8 bytes in Latin-1. */
  private static final class Forms {
    final List<String> text;
    final List<String> bytes;
    final int longest;

    Forms(List<String> text) {
      this.text = List.copyOf(text);
      List<String> b = new ArrayList<>();
      for (String f : text) {
        b.add(new String(f.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
      }
      this.bytes = List.copyOf(b);
      this.longest = text.isEmpty() ? 0 : text.get(0).length();
    }
  }
}
