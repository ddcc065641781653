package dev.orchestra.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tokens in {@code HOME/tokens.json} (owner-only, {@code 0600}, in a {@code 0700} directory):
 *
 * <pre>{@code
 * {"version": 1, "tokens": {"NAME": {"scope": "run", "sha256": HEX, "created": ISO-8601}}}
 * }</pre>
 *
 * <p>Changes rewrite the file atomically under {@code tokens.lock}, so {@code orchestra tokens} in
 * two terminals lose nothing. The server reads the file again when its modification time or size
 * changed, so a token revoked by the CLI is refused from the next request on; between changes a
 * request costs one {@code stat} and one SHA-256. A file that cannot be read is refused with its
 * path, never rewritten. Thread-safe.
 */
public final class FileTokenStore implements TokenStore {
  /** The file's name under the Orchestra home. */
  public static final String FILE = "tokens.json";

  private static final String LOCK = "tokens.lock";
  private static final int VERSION = 1;
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Path home;
  private final Path file;
  private final Clock clock;
  private Snapshot cached;

  /** One reading of the file, and the stamp it was read at. */
  private record Snapshot(FileTime modified, long size, Map<String, Entry> entries) {}

  private record Entry(TokenInfo info, String sha256) {}

  private FileTokenStore(Path home, Clock clock) {
    this.home = home.toAbsolutePath().normalize();
    this.file = this.home.resolve(FILE);
    this.clock = clock;
  }

  /** The store in the Orchestra home {@code home} (which need not exist yet). */
  public static FileTokenStore in(Path home) {
    return new FileTokenStore(home, Clock.systemUTC());
  }

  /** As {@link #in(Path)}, with creation times from {@code clock}. */
  public static FileTokenStore in(Path home, Clock clock) {
    return new FileTokenStore(home, clock);
  }

  /** The file the tokens are kept in. */
  public Path file() {
    return file;
  }

  @Override
  public Created create(String name, Scope scope) {
    if (!Tokens.isValidName(name)) {
      throw new OrchestraException(
          "'"
              + name
              + "' is not a valid token name; use 1 to 64 letters, digits, '_', '.', '@' or '-',"
              + " starting with a letter or digit");
    }
    String secret = Tokens.newSecret();
    TokenInfo info = new TokenInfo(name, scope, clock.instant());
    change(
        entries -> {
          if (entries.containsKey(name)) {
            throw new OrchestraException(
                "a token named '"
                    + name
                    + "' exists already; revoke it first (orchestra tokens revoke "
                    + name
                    + ") or pick another name");
          }
          entries.put(name, new Entry(info, Tokens.digest(secret)));
          return true;
        });
    return new Created(info, secret);
  }

  @Override
  public List<TokenInfo> list() {
    return read().entries().values().stream().map(Entry::info).toList();
  }

  @Override
  public Optional<TokenInfo> find(String name) {
    return Optional.ofNullable(read().entries().get(name)).map(Entry::info);
  }

  @Override
  public boolean revoke(String name) {
    return change(entries -> entries.remove(name) != null);
  }

  @Override
  public Optional<TokenInfo> authenticate(String secret) {
    if (secret == null || secret.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = Tokens.digestBytes(secret);
    TokenInfo found = null;
    // Every entry is compared, whatever matched, so the time taken does not depend on which did.
    for (Entry e : read().entries().values()) {
      if (Tokens.sameDigest(presented, e.sha256()) && found == null) {
        found = e.info();
      }
    }
    return Optional.ofNullable(found);
  }

  private interface Change {
    boolean apply(Map<String, Entry> entries);
  }

  private synchronized boolean change(Change change) {
    try {
      createHome();
      try (FileChannel lockChannel =
              FileChannel.open(
                  home.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = lockChannel.lock()) {
        Map<String, Entry> entries = new TreeMap<>(load().entries());
        if (!change.apply(entries)) {
          return false;
        }
        write(entries);
        cached = null;
        return true;
      }
    } catch (IOException e) {
      throw new OrchestraException(
          "cannot write " + file + ": " + e + "; check that " + home + " is writable", e);
    }
  }

  private synchronized Snapshot read() {
    try {
      if (cached != null && Files.exists(file)) {
        FileTime modified = Files.getLastModifiedTime(file);
        if (modified.equals(cached.modified()) && Files.size(file) == cached.size()) {
          return cached;
        }
      }
      cached = load();
      return cached;
    } catch (IOException e) {
      throw new OrchestraException("cannot read " + file + ": " + e, e);
    }
  }

  private Snapshot load() throws IOException {
    FileTime modified;
    byte[] bytes;
    try {
      modified = Files.getLastModifiedTime(file);
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Snapshot(FileTime.fromMillis(0), -1, Map.of());
    }
    Map<String, Entry> entries = new TreeMap<>();
    try {
      JsonNode root = JSON.readTree(bytes);
      if (root == null
          || root.path("version").asInt(-1) != VERSION
          || !root.path("tokens").isObject()) {
        throw unreadable("it is not {\"version\": 1, \"tokens\": {...}}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = root.get("tokens").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode t = e.getValue();
        String sha = t.path("sha256").asText("");
        if (!Tokens.isValidName(e.getKey()) || sha.length() != 64) {
          throw unreadable("token '" + e.getKey() + "' has no valid name or sha256");
        }
        entries.put(
            e.getKey(),
            new Entry(
                new TokenInfo(
                    e.getKey(),
                    Scope.fromWire(t.path("scope").asText("")),
                    Instant.parse(t.path("created").asText(""))),
                sha));
      }
    } catch (JsonProcessingException | DateTimeParseException e) {
      throw unreadable(e.getMessage().replaceAll("\\s+", " "));
    } catch (OrchestraException e) {
      if (e.getMessage().startsWith("cannot read")) {
        throw e;
      }
      throw unreadable(e.getMessage());
    }
    return new Snapshot(modified, bytes.length, Map.copyOf(entries));
  }

  private OrchestraException unreadable(String why) {
    return new OrchestraException(
        "cannot read "
            + file
            + ": "
            + why
            + "; fix the file or move it away and create the tokens again"
            + " (orchestra tokens create NAME --scope SCOPE)");
  }

  private void write(Map<String, Entry> entries) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", VERSION);
    ObjectNode tokens = root.putObject("tokens");
    for (Entry e : entries.values()) {
      ObjectNode t = tokens.putObject(e.info().name());
      t.put("scope", e.info().scope().wireName());
      t.put("sha256", e.sha256());
      t.put("created", e.info().created().toString());
    }
    Path tmp = Files.createTempFile(home, ".tokens", ".tmp");
    try {
      ownerOnly(tmp, "rw-------");
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private void createHome() throws IOException {
    if (!Files.isDirectory(home)) {
      Files.createDirectories(home);
      ownerOnly(home, "rwx------");
    }
  }

  private static void ownerOnly(Path path, String permissions) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }

  @Override
  public String toString() {
    return "FileTokenStore[" + file + "]";
  }
}
