package dev.orchestra.engine;

import java.nio.file.Path;

/**
 * A node's prepared directory.
 *
 * @param directory where the node's agent and checks run
 * @param conflict when the upstream work conflicted and the node's agent is to resolve it ({@code
 *     on_conflict: agent}): the instructions put before the node's prompt; else {@code null}
 */
public record PreparedWorkspace(Path directory, String conflict) {}
