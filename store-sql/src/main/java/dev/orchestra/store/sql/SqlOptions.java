package dev.orchestra.store.sql;

import dev.orchestra.OrchestraException;
import dev.orchestra.secret.CredentialStore;
import dev.orchestra.secret.Credentials;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How to reach the SQL store's database and how it behaves: the JDBC URL, the user and password
 * (PostgreSQL), the blob directory, the lease owner and durations. Immutable; made by {@link
 * #resolve} from a {@code --db} option and the environment, or by {@link #builder}. {@link
 * #toString()} never shows the password.
 */
public final class SqlOptions {
  /** The file of the default database under the Orchestra home. */
  public static final String DEFAULT_FILE = "orchestra.db";

  /** The directory of blobs next to the default database. */
  public static final String DEFAULT_BLOBS = "blobs";

  /** The credential (in the credential store) holding the database password. */
  public static final String PASSWORD_CREDENTIAL = "db";

  /** The environment variable holding the database password when the credential store has none. */
  public static final String PASSWORD_ENV = "ORCHESTRA_DB_PASSWORD";

  /** The environment variable naming the database user (PostgreSQL), if the URL names none. */
  public static final String USER_ENV = "ORCHESTRA_DB_USER";

  /** The environment variable naming the blob directory. */
  public static final String BLOBS_ENV = "ORCHESTRA_DB_BLOBS";

  private final String url;
  private final Dialect dialect;
  private final String user;
  private final String password;
  private final Path blobs;
  private final String owner;
  private final Duration leaseTtl;
  private final Duration decisionPoll;
  private final Duration busyTimeout;
  private final int poolSize;
  private final Clock clock;

  private SqlOptions(Builder b) {
    this.url = Objects.requireNonNull(b.url, "url");
    this.dialect = Dialect.of(url);
    if (dialect == null) {
      throw unsupported(url);
    }
    if (url.toLowerCase(Locale.ROOT).contains("password=")) {
      throw new OrchestraException(
          "the database URL must not hold the password (URLs end up in shell histories, process"
              + " lists and logs); remove it and store it with `orchestra credentials add "
              + PASSWORD_CREDENTIAL
              + "` or set "
              + PASSWORD_ENV);
    }
    this.user = b.user;
    this.password = b.password;
    this.blobs = Objects.requireNonNull(b.blobs, "blobs").toAbsolutePath().normalize();
    this.owner = b.owner == null ? defaultOwner() : b.owner;
    if (owner.isBlank() || owner.length() > 200) {
      throw new IllegalArgumentException(
          "a lease owner is 1 to 200 characters, was '" + owner + "'");
    }
    this.leaseTtl = positive("leaseTtl", b.leaseTtl);
    this.decisionPoll = positive("decisionPoll", b.decisionPoll);
    this.busyTimeout = positive("busyTimeout", b.busyTimeout);
    if (b.poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1, was " + b.poolSize);
    }
    this.poolSize = b.poolSize;
    this.clock = Objects.requireNonNull(b.clock, "clock");
  }

  private static Duration positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + d);
    }
    return d;
  }

  private static OrchestraException unsupported(String url) {
    return new OrchestraException(
        "'"
            + url
            + "' is not a database URL Orchestra can use; give jdbc:sqlite:FILE or"
            + " jdbc:postgresql://HOST:PORT/DATABASE (or no --db for the default SQLite database)");
  }

  /** A builder for the database at {@code url}, keeping blobs in {@code blobs}. */
  public static Builder builder(String url, Path blobs) {
    return new Builder(url, blobs);
  }

  /** SQLite in {@code file}, blobs in {@code blobs}. */
  public static Builder sqlite(Path file, Path blobs) {
    return builder("jdbc:sqlite:" + file.toAbsolutePath().normalize(), blobs);
  }

  /**
   * The options for a {@code --db} option ({@code null}: none) in an environment: no URL is SQLite
   * in {@code $ORCHESTRA_HOME/orchestra.db} (created on first use); {@code jdbc:sqlite:FILE} that
   * file; {@code jdbc:postgresql://…} that database, as the user the URL names or {@value
   * #USER_ENV}, with the password of the credential {@value #PASSWORD_CREDENTIAL} ({@link
   * Credentials}) or else {@value #PASSWORD_ENV}. Blobs go to {@value #BLOBS_ENV}, else {@code
   * blobs} in the Orchestra home.
   */
  public static Builder resolve(String dbOption, Map<String, String> env) {
    Path home = CredentialStore.home(env);
    String blobsDir = env.get(BLOBS_ENV);
    Path blobs =
        blobsDir == null || blobsDir.isBlank() ? home.resolve(DEFAULT_BLOBS) : Path.of(blobsDir);
    if (dbOption == null || dbOption.isBlank()) {
      return sqlite(home.resolve(DEFAULT_FILE), blobs);
    }
    Builder b = builder(dbOption.strip(), blobs);
    if (Dialect.of(b.url) == Dialect.POSTGRESQL) {
      String user = env.get(USER_ENV);
      if (user != null && !user.isBlank()) {
        b.user(user);
      }
      Optional<String> password = Credentials.from(env).find(PASSWORD_CREDENTIAL);
      String fromEnv = env.get(PASSWORD_ENV);
      if (password.isPresent()) {
        b.password(password.get());
      } else if (fromEnv != null && !fromEnv.isEmpty()) {
        b.password(fromEnv);
      }
    }
    return b;
  }

  private static String defaultOwner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    // pid@host as the JVM names itself, plus a random part: two stores in one JVM are two owners.
    String jvm = ManagementFactory.getRuntimeMXBean().getName();
    String pid = jvm.contains("@") ? jvm.substring(0, jvm.indexOf('@')) : jvm;
    return host
        + "/"
        + pid
        + "/"
        + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
  }

  String url() {
    return url;
  }

  Dialect dialect() {
    return dialect;
  }

  Optional<String> user() {
    return Optional.ofNullable(user);
  }

  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The directory of blob files (transcripts, logs, attempts' working files). */
  public Path blobs() {
    return blobs;
  }

  /** Who this store's leases name as their owner. */
  public String owner() {
    return owner;
  }

  /** How long a lease lasts unless renewed. */
  public Duration leaseTtl() {
    return leaseTtl;
  }

  /** How often watches look for decisions other processes recorded. */
  public Duration decisionPoll() {
    return decisionPoll;
  }

  Duration busyTimeout() {
    return busyTimeout;
  }

  int poolSize() {
    return poolSize;
  }

  Clock clock() {
    return clock;
  }

  /** The database as messages name it: the URL without its parameters, and the user. */
  String describe() {
    int q = url.indexOf('?');
    String bare = q < 0 ? url : url.substring(0, q);
    return bare + (user == null ? "" : " (user " + user + ")");
  }

  @Override
  public String toString() {
    return "SqlOptions{"
        + describe()
        + ", password "
        + (password == null ? "none" : "****")
        + ", blobs "
        + blobs
        + ", owner "
        + owner
        + ", lease "
        + leaseTtl
        + "}";
  }

  /** Builds {@link SqlOptions}; every value but the URL and blob directory has a default. */
  public static final class Builder {
    private final String url;
    private final Path blobs;
    private String user;
    private String password;
    private String owner;
    private Duration leaseTtl = Duration.ofSeconds(30);
    private Duration decisionPoll = Duration.ofSeconds(1);
    private Duration busyTimeout = Duration.ofSeconds(30);
    private int poolSize = 8;
    private Clock clock = Clock.systemUTC();

    private Builder(String url, Path blobs) {
      this.url = url;
      this.blobs = blobs;
    }

    /** The database user (PostgreSQL); default: the one the URL names, else the driver's. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The database password; never logged. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The lease owner; default {@code HOST/PID/RANDOM}, unique per store object. */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    /** How long a lease lasts unless renewed (default 30 s); recorders renew at a third of it. */
    public Builder leaseTtl(Duration ttl) {
      this.leaseTtl = ttl;
      return this;
    }

    /** How often watches poll for other processes' decisions (default 1 s). */
    public Builder decisionPoll(Duration poll) {
      this.decisionPoll = poll;
      return this;
    }

    /** How long SQLite waits for another writer (default 30 s). */
    public Builder busyTimeout(Duration timeout) {
      this.busyTimeout = timeout;
      return this;
    }

    /** The most connections the pool opens (default 8). */
    public Builder poolSize(int size) {
      this.poolSize = size;
      return this;
    }

    /**
     * The clock of lease expiries (tests move it; servers sharing a database keep theirs in sync).
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public SqlOptions build() {
      return new SqlOptions(this);
    }
  }
}
