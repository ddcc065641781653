package dev.orchestra.secret;

import dev.orchestra.OrchestraException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the value of a credential by name: first in the {@link CredentialStore}, else in the
 * environment variable {@code ORCHESTRA_CREDENTIAL_<NAME>} (the name upper-cased, {@code -} and
 * {@code .} as {@code _}), which suits CI jobs that hold their secrets in variables. Thread-safe.
 *
 * <p>Those variables are Orchestra's input only: templates cannot read them ({@code {{ env.* }}} is
 * refused by validation and at render time) and no process Orchestra starts inherits them ({@link
 * #removeVariables}); a node gets exactly the credentials it lists, under the variables its {@code
 * credentials} name.
 */
public final class Credentials {
  /** The prefix of the environment variables that provide credentials. */
  public static final String ENV_PREFIX = "ORCHESTRA_CREDENTIAL_";

  private final CredentialStore store;
  private final Map<String, String> env;

  private Credentials(CredentialStore store, Map<String, String> env) {
    this.store = store;
    this.env = Map.copyOf(env);
  }

  /** Looks in {@code store}, then in {@code env}. */
  public static Credentials of(CredentialStore store, Map<String, String> env) {
    return new Credentials(store, env);
  }

  /**
   * The store in the Orchestra home of {@code env} ({@link CredentialStore#home}), then {@code
   * env}.
   */
  public static Credentials from(Map<String, String> env) {
    return new Credentials(CredentialStore.at(CredentialStore.home(env)), env);
  }

  /** The environment variable that may provide credential {@code name}. */
  public static String variableFor(String name) {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /**
   * Whether {@code variable} is one that provides a credential ({@value #ENV_PREFIX}…), compared
   * without regard to case, so that no spelling of it slips through where it must not be seen.
   */
  public static boolean isVariable(String variable) {
    return variable != null && variable.regionMatches(true, 0, ENV_PREFIX, 0, ENV_PREFIX.length());
  }

  /**
   * Removes every credential variable ({@link #isVariable}) from {@code env}, e.g. the environment
   * a {@link ProcessBuilder} would pass on from this JVM, so that a child process gets only the
   * credentials it is given explicitly afterwards.
   *
   * @return {@code env}
   */
  public static Map<String, String> removeVariables(Map<String, String> env) {
    env.keySet().removeIf(Credentials::isVariable);
    return env;
  }

  /** Why {@code {{ env.VARIABLE }}} may not read a credential variable. */
  public static String unreadableInTemplates(String variable) {
    return "{{ env."
        + variable
        + " }} cannot be read: "
        + ENV_PREFIX
        + "* variables provide credentials, and templates never see a credential (it would land"
        + " unmasked in a prompt, an argument or a file)";
  }

  /** How to give a node the credential that {@code variable} provides instead. */
  public static String templateHint(String variable) {
    String name =
        variable.length() > ENV_PREFIX.length()
            ? variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
            : "NAME";
    String var = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    return "list it on the node, e.g. credentials: [{"
        + var
        + ": "
        + name
        + "}], and read $"
        + var
        + " in the node's process";
  }

  /**
   * The value of {@code name}, or empty when neither the store nor the environment has it.
   *
   * @throws OrchestraException when the store cannot be read (see {@link CredentialStore#get})
   */
  public Optional<String> find(String name) {
    Optional<String> stored = store.get(name);
    if (stored.isPresent()) {
      return stored;
    }
    String value = env.get(variableFor(name));
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /**
   * The value of {@code name}.
   *
   * @throws OrchestraException naming both ways to provide it when there is none
   */
  public String resolve(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new OrchestraException(
                    "no credential '"
                        + name
                        + "'; add it with `orchestra credentials add "
                        + name
                        + "` or set the environment variable "
                        + variableFor(name)));
  }
}
