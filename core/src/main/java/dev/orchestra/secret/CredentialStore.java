package dev.orchestra.secret;

import dev.orchestra.OrchestraException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Named secrets encrypted at rest under the Orchestra home ({@code ORCHESTRA_HOME}, default {@code
 * ~/.orchestra}): {@code credentials.key} holds a random 256-bit AES key (owner-only, {@code
 * 0600}), {@code credentials.json} the values, each encrypted with AES-GCM under its own random
 * 96-bit IV and bound to its name (the name is the additional authenticated data, so entries cannot
 * be swapped). The key file and the home directory are created with owner-only permissions ({@code
 * 0600}, {@code 0700}); a key file that the group or others may read is refused.
 *
 * <p>Writes replace {@code credentials.json} atomically under a lock file, so concurrent {@code
 * orchestra credentials add} commands do not lose each other's entries. The file is read as JSON
 * ({@link StoredEntries}); one that cannot be read is refused and never rewritten, and a value is
 * never added under a new key while values encrypted under a missing one exist. Reads need no lock.
 * Reading never creates files. Thread-safe. On file systems without POSIX permissions (Windows) the
 * permission checks are skipped.
 */
public final class CredentialStore {
  /** The variable that moves the Orchestra home. */
  public static final String HOME_VARIABLE = "ORCHESTRA_HOME";

  static final String KEY_FILE = "credentials.key";
  static final String DATA_FILE = "credentials.json";
  private static final String LOCK_FILE = "credentials.lock";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path home;

  private CredentialStore(Path home) {
    this.home = home;
  }

  /** The store in {@code home} (which need not exist yet). */
  public static CredentialStore at(Path home) {
    return new CredentialStore(home.toAbsolutePath().normalize());
  }

  /**
   * The Orchestra home for an environment: {@code ORCHESTRA_HOME} when set and not blank, else
   * {@code .orchestra} in the user's home directory.
   */
  public static Path home(Map<String, String> env) {
    String given = env.get(HOME_VARIABLE);
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    return Path.of(System.getProperty("user.home"), ".orchestra");
  }

  /** The directory the store keeps its files in. */
  public Path directory() {
    return home;
  }

  /**
   * Whether {@code name} may name a credential: letters, digits, {@code _}, {@code .} and {@code
   * -}.
   */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Stores {@code value} under {@code name}, replacing an earlier value; creates the home, the key
   * and the data file when missing.
   *
   * @throws OrchestraException for a bad name, an empty value, a key file readable by others, or
   *     files that cannot be written
   */
  public synchronized void put(String name, String value) {
    checkName(name);
    if (value == null || value.isEmpty()) {
      throw new OrchestraException(
          "the value of credential '" + name + "' is empty; give a non-empty value");
    }
    withLock(
        () -> {
          StoredEntries entries = read();
          // A new key while values exist would leave those values undecryptable: refuse instead.
          byte[] key = key(entries.isEmpty());
          byte[] iv = new byte[IV_BYTES];
          RANDOM.nextBytes(iv);
          byte[] data =
              crypt(Cipher.ENCRYPT_MODE, key, iv, name, value.getBytes(StandardCharsets.UTF_8));
          write(entries.with(name, iv, data));
        });
  }

  /**
   * The value stored under {@code name}, or empty when there is none.
   *
   * @throws OrchestraException for a bad name, a key file readable by others, a missing key file
   *     while values exist, or a value that does not decrypt (the key file was replaced)
   */
  public Optional<String> get(String name) {
    checkName(name);
    StoredEntries.Sealed entry = read().get(name);
    if (entry == null) {
      return Optional.empty();
    }
    byte[] key = key(false);
    byte[] plain = crypt(Cipher.DECRYPT_MODE, key, entry.iv(), name, entry.data());
    return Optional.of(new String(plain, StandardCharsets.UTF_8));
  }

  /** The stored names, sorted. Never reads the values. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(read().names()));
  }

  /**
   * Removes {@code name}.
   *
   * @return whether there was such a credential
   */
  public synchronized boolean remove(String name) {
    checkName(name);
    boolean[] removed = {false};
    withLock(
        () -> {
          StoredEntries entries = read();
          removed[0] = entries.get(name) != null;
          if (removed[0]) {
            write(entries.without(name));
          }
        });
    return removed[0];
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw new OrchestraException(
          "bad credential name '"
              + name
              + "'; use letters, digits, '_', '.' and '-' only, e.g. anthropic or deploy-token");
    }
  }

  /** What the data file holds, or an empty store when there is no file. */
  private StoredEntries read() {
    return StoredEntries.read(home.resolve(DATA_FILE));
  }

  private void write(StoredEntries entries) {
    Path target = home.resolve(DATA_FILE);
    Path temp = home.resolve(DATA_FILE + ".tmp");
    try {
      Files.deleteIfExists(temp);
      Files.createFile(temp, ownerOnly(temp, "rw-------"));
      Files.writeString(temp, entries.toJson(), StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw failure("write", target, e);
    }
  }

  /** Reads the key; creates it (and the home) when {@code create} and it is missing. */
  private byte[] key(boolean create) {
    Path file = home.resolve(KEY_FILE);
    if (create && !Files.exists(file)) {
      createHome();
      byte[] key = new byte[KEY_BYTES];
      RANDOM.nextBytes(key);
      try {
        Files.createFile(file, ownerOnly(file, "rw-------"));
        Files.write(file, key);
      } catch (FileAlreadyExistsException e) {
        // Another process made it first (outside the lock only when the lock was unavailable).
      } catch (IOException e) {
        throw failure("create", file, e);
      }
    }
    checkPermissions(file);
    byte[] key;
    try {
      key = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new OrchestraException(
          "the credential key file "
              + file
              + " is missing, so the stored credentials cannot be decrypted; add them again with"
              + " `orchestra credentials add NAME` after deleting "
              + home.resolve(DATA_FILE),
          e);
    } catch (AccessDeniedException e) {
      throw new OrchestraException(
          "cannot read the credential key file " + file + "; it must belong to this user", e);
    } catch (IOException e) {
      throw failure("read", file, e);
    }
    if (key.length != KEY_BYTES) {
      throw new OrchestraException(
          "the credential key file "
              + file
              + " holds "
              + key.length
              + " bytes, not "
              + KEY_BYTES
              + "; it was changed by hand. Restore it, or delete it and "
              + home.resolve(DATA_FILE)
              + " and add the credentials again");
    }
    return key;
  }

  private void createHome() {
    if (Files.isDirectory(home)) {
      return;
    }
    try {
      Files.createDirectories(home.getParent());
      Files.createDirectory(home, ownerOnly(home, "rwx------"));
    } catch (FileAlreadyExistsException e) {
      // Made concurrently: fine.
    } catch (IOException e) {
      throw failure("create", home, e);
    }
  }

  private static void checkPermissions(Path file) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    } catch (NoSuchFileException e) {
      return; // reported by the caller when it reads the file
    } catch (IOException e) {
      throw failure("inspect", file, e);
    }
    Set<PosixFilePermission> open = groupAndOthers(perms);
    if (!open.isEmpty()) {
      throw new OrchestraException(
          "the credential key file "
              + file
              + " may be read by other users (permissions "
              + PosixFilePermissions.toString(perms)
              + "); refusing to use it. Make it private with `chmod 600 "
              + file
              + "`");
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path path, String perms) {
    boolean posix = path.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms))
        }
        : new FileAttribute<?>[0];
  }

  private static byte[] crypt(int mode, byte[] key, byte[] iv, String name, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new OrchestraException(
          "credential '"
              + name
              + "' cannot be decrypted with the key in the credential key file; the key file was"
              + " replaced or the data file was changed. Add the credential again with"
              + " `orchestra credentials add "
              + name
              + "`",
          e);
    }
  }

  private interface Action {
    void run();
  }

  private void withLock(Action action) {
    createHome();
    Path lock = home.resolve(LOCK_FILE);
    try (FileChannel ch =
            FileChannel.open(
                lock,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                ownerOnly(lock, "rw-------"));
        FileLock held = ch.lock()) {
      action.run();
    } catch (IOException e) {
      throw failure("lock", lock, e);
    }
  }

  static OrchestraException failure(String verb, Path path, IOException e) {
    return new OrchestraException(
        "cannot " + verb + " " + path + ": " + e.getMessage() + "; check its permissions", e);
  }

  /** The group and others permissions in {@code perms}. */
  private static Set<PosixFilePermission> groupAndOthers(Set<PosixFilePermission> perms) {
    Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission p : perms) {
      if (p != PosixFilePermission.OWNER_READ
          && p != PosixFilePermission.OWNER_WRITE
          && p != PosixFilePermission.OWNER_EXECUTE) {
        open.add(p);
      }
    }
    return open;
  }
}
