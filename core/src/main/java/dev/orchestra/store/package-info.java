/**
 * The run store interface (docs/runs.md, "Records"): {@link dev.orchestra.store.RunStore} creates,
 * locks, lists and reads runs; a {@link dev.orchestra.store.RunRecorder} writes one run's events
 * and result while holding its lock; an {@link dev.orchestra.store.AttemptRecorder} writes one
 * attempt's prompt, output, check results and named outputs. Values: {@link
 * dev.orchestra.store.RunInfo}, {@link dev.orchestra.store.RunSummary}, {@link
 * dev.orchestra.store.RunResult}, {@link dev.orchestra.store.NodeResult}, {@link
 * dev.orchestra.store.AttemptRecord}; ids from {@link dev.orchestra.store.RunIds}; listings with
 * {@link dev.orchestra.store.RunQuery}, {@link dev.orchestra.store.RunPage} and {@link
 * dev.orchestra.store.RunCursor}. The CLI's implementation is {@code FileRunStore} in the {@code
 * store} module; the server's is {@code SqlRunStore} in {@code store-sql} (SQLite or PostgreSQL).
 * Every implementation passes {@code RunStoreContract} ({@code test-support}).
 */
package dev.orchestra.store;
