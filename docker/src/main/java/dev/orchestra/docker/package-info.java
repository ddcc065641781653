/** The Docker executor: each attempt in a fresh container (SPEC §1 {@code executor: docker}). */
package dev.orchestra.docker;
