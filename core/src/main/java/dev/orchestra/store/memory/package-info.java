/**
 * {@link dev.orchestra.store.memory.MemoryRunStore}: run records in this JVM's memory, for runs
 * that need no records after the process ends and for tests. Depends on {@code dev.orchestra.store}
 * and the JDK only.
 */
package dev.orchestra.store.memory;
