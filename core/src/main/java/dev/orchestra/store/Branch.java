package dev.orchestra.store;

import java.util.Objects;

/**
 * A git branch a run made and the commit it points at.
 *
 * @param name the short branch name, e.g. {@code orchestra/20261124-0915-3fa2/backend}
 * @param commit the full id of its head commit
 */
public record Branch(String name, String commit) {
  public Branch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(commit, "commit");
  }
}
