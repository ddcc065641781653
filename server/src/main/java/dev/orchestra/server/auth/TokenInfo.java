package dev.orchestra.server.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API token without its secret: the store keeps only the secret's SHA-256.
 *
 * @param name the token's name (who or what uses it; decisions on approval gates are recorded under
 *     it)
 * @param scope what it may do
 * @param created when it was created
 */
public record TokenInfo(String name, Scope scope, Instant created) {
  public TokenInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(created, "created");
  }
}
