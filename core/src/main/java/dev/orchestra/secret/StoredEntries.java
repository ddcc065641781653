package dev.orchestra.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The content of {@code credentials.json}, read with Jackson:
 *
 * <pre>{@code
 * {"version": 1, "credentials": {"NAME": {"iv": BASE64, "data": BASE64}, ...}}
 * }</pre>
 *
 * <p>Any JSON layout, key order or whitespace reads the same. A file that is not in this shape
 * (invalid JSON, a key written twice, another format version, an entry without a valid {@code iv}
 * or {@code data}) is refused with a message naming the file and the fix, so that it is never
 * rewritten from a partial reading and no entry is lost. Keys this version does not know, at the
 * top level or inside an entry, are kept on rewrite: a file written by a later version loses
 * nothing when this one adds or removes a credential (only a replaced entry is written anew).
 * Immutable.
 */
final class StoredEntries {
  /** The format version this class reads and writes. */
  static final int VERSION = 1;

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectWriter PRETTY =
      JSON.writer(
          new DefaultPrettyPrinter()
              .withSeparators(
                  Separators.createDefaultInstance()
                      .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

  /** One encrypted value: its IV and its ciphertext with the GCM tag. */
  record Sealed(byte[] iv, byte[] data) {}

  private final Path file;
  private final ObjectNode root;
  private final Map<String, ObjectNode> entries;

  private StoredEntries(Path file, ObjectNode root, Map<String, ObjectNode> entries) {
    this.file = file;
    this.root = root;
    this.entries = Collections.unmodifiableMap(entries);
  }

  /**
   * Reads {@code file}; a missing file is an empty store.
   *
   * @throws OrchestraException when the file cannot be read or is not in the shape above
   */
  static StoredEntries read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new StoredEntries(file, null, new TreeMap<>());
    } catch (IOException e) {
      throw CredentialStore.failure("read", file, e);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw unreadable(
          file,
          "it is not valid JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + " ("
              + e.getOriginalMessage().replaceAll("\\s+", " ").strip()
              + ")");
    } catch (IOException e) {
      throw CredentialStore.failure("read", file, e);
    }
    if (!(tree instanceof ObjectNode root)) {
      throw unreadable(file, "it is not a JSON object");
    }
    JsonNode version = root.get("version");
    if (version == null) {
      throw unreadable(file, "it has no \"version\"");
    }
    if (!version.isIntegralNumber() || version.asInt() != VERSION) {
      throw unreadable(
          file,
          "its format version is "
              + version
              + ", not "
              + VERSION
              + (version.isIntegralNumber() && version.asInt() > VERSION
                  ? " (a later Orchestra wrote it; use that one)"
                  : ""));
    }
    if (!(root.get("credentials") instanceof ObjectNode credentials)) {
      throw unreadable(file, "it has no \"credentials\" object");
    }
    Map<String, ObjectNode> entries = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : credentials.properties()) {
      String name = e.getKey();
      if (!CredentialStore.isValidName(name)) {
        throw unreadable(file, "it holds a credential named '" + name + "', which is not a name");
      }
      if (!(e.getValue() instanceof ObjectNode entry)) {
        throw unreadable(file, "credential '" + name + "' is not an object {\"iv\", \"data\"}");
      }
      base64(file, name, entry, "iv");
      base64(file, name, entry, "data");
      entries.put(name, entry);
    }
    return new StoredEntries(file, root, entries);
  }

  private static byte[] base64(Path file, String name, ObjectNode entry, String key) {
    JsonNode value = entry.get(key);
    if (value == null || !value.isTextual()) {
      throw unreadable(file, "credential '" + name + "' has no \"" + key + "\" string");
    }
    try {
      return Base64.getDecoder().decode(value.textValue());
    } catch (IllegalArgumentException e) {
      throw unreadable(file, "the \"" + key + "\" of credential '" + name + "' is not base64");
    }
  }

  private static OrchestraException unreadable(Path file, String why) {
    return new OrchestraException(
        "cannot read the credential file "
            + file
            + ": "
            + why
            + "; it is left as it is. Repair it by hand (the shape is {\"version\": 1,"
            + " \"credentials\": {\"NAME\": {\"iv\": \"…\", \"data\": \"…\"}}}), or move it away"
            + " and add the credentials again with `orchestra credentials add NAME`");
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  Set<String> names() {
    return entries.keySet();
  }

  /** The value stored under {@code name}, or {@code null}. */
  Sealed get(String name) {
    ObjectNode entry = entries.get(name);
    return entry == null
        ? null
        : new Sealed(base64(file, name, entry, "iv"), base64(file, name, entry, "data"));
  }

  /** These entries with {@code name} holding a new value, written as a fresh entry. */
  StoredEntries with(String name, byte[] iv, byte[] data) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode entry = JsonNodeFactory.instance.objectNode();
    entry.put("iv", b64.encodeToString(iv));
    entry.put("data", b64.encodeToString(data));
    Map<String, ObjectNode> more = new TreeMap<>(entries);
    more.put(name, entry);
    return new StoredEntries(file, root, more);
  }

  /** These entries without {@code name}. */
  StoredEntries without(String name) {
    Map<String, ObjectNode> fewer = new TreeMap<>(entries);
    fewer.remove(name);
    return new StoredEntries(file, root, fewer);
  }

  /**
   * The file's new content: the keys read (in their order) with {@code version} and {@code
   * credentials} replaced, entries sorted by name.
   */
  String toJson() {
    ObjectNode out = root == null ? JsonNodeFactory.instance.objectNode() : root.deepCopy();
    out.put("version", VERSION);
    ObjectNode credentials = out.putObject("credentials");
    Map<String, JsonNode> sorted = new LinkedHashMap<>();
    entries.forEach((name, entry) -> sorted.put(name, entry.deepCopy()));
    credentials.setAll(sorted);
    try {
      return PRETTY.writeValueAsString(out) + "\n";
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serialises; this would be a bug.
      throw new IllegalStateException("cannot write the credentials as JSON", e);
    }
  }
}
