package dev.orchestra.server.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where the server's API tokens are kept ({@code orchestra tokens create|list|revoke}). A store
 * holds each token's name, scope and creation time and a SHA-256 digest of its secret, never the
 * secret: {@link #create} answers it once. {@link FileTokenStore} keeps them in a file under {@code
 * ORCHESTRA_HOME}; a database store can hold them beside the runs.
 *
 * <p>Implementations are thread-safe, and a token created or revoked by another process (the CLI
 * while the server runs) takes effect at the next request.
 */
public interface TokenStore {

  /** A token just created: its secret is shown once and kept nowhere. */
  record Created(TokenInfo info, String secret) {
    @Override
    public String toString() {
      // A record's toString would print the secret into any log line that shows one.
      return "Created[" + info + ", secret=****]";
    }
  }

  /**
   * Creates a token named {@code name} with {@code scope}.
   *
   * @throws dev.orchestra.OrchestraException when the name is not valid ({@link Tokens#NAME}), is
   *     taken, or the store cannot be written
   */
  Created create(String name, Scope scope);

  /** Every token, sorted by name. */
  List<TokenInfo> list();

  /** The token named {@code name}, or empty. */
  Optional<TokenInfo> find(String name);

  /**
   * Removes the token named {@code name}; requests with it are refused from then on.
   *
   * @return whether there was such a token
   */
  boolean revoke(String name);

  /**
   * The token whose secret is {@code secret}, or empty. Compares digests in constant time and looks
   * at every stored token, so the time taken says nothing about which digest came close.
   */
  Optional<TokenInfo> authenticate(String secret);
}
