/**
 * The Docker executor ({@code executor: docker}, docs/containers.md): every process of a node (its
 * agent and its {@code run} checks) in a fresh container of the node's image, started over the
 * Docker Engine API with docker-java, removed as soon as it ends.
 *
 * <p>{@link dev.orchestra.docker.DockerRuntime} is the connection and finds the containers that
 * Orchestra processes which are gone left behind; {@link dev.orchestra.docker.DockerExecutor} runs
 * one process per container; {@link dev.orchestra.docker.DockerNodes} gives the engine an executor
 * per node ({@code Engine.Builder.nodeExecutor}), connecting on first use.
 */
package dev.orchestra.docker;
