package dev.orchestra.store;

import dev.orchestra.state.RunPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan a run recorded when it started ({@link RunPlan}), as a {@link RunInfo} holds it: either
 * already in memory (a run being created) or read from its store on first use. Most readers of a
 * run never use its plan (reports, listings, a resume), and a 10,000-node run's plan is some 730
 * KiB of JSON, so a store's {@link RunStore#find} leaves it where it is until {@link #get} asks.
 *
 * <p><b>Absent</b> for runs recorded before plans were: their readers parse the recorded workflow
 * instead ({@code RecordedPlans}).
 *
 * <p>Thread-safe: concurrent first calls of {@link #get} load once, and later calls answer the same
 * value without reading again. A load that fails throws to its caller and is tried again on the
 * next call. Two stored plans are equal when their plans are, so comparing them (or the {@link
 * RunInfo}s holding them) loads both; {@link #toString} never loads.
 */
public final class StoredPlan {
  /** Reads a run's recorded plan from where its store keeps it. */
  @FunctionalInterface
  public interface Loader {
    /**
     * The run's plan, or empty when its record has none.
     *
     * @throws dev.orchestra.OrchestraException when the plan is on record but cannot be read,
     *     naming the run and where its plan is kept
     */
    Optional<RunPlan> load();
  }

  /** No plan: a run recorded before plans were. */
  public static final StoredPlan ABSENT = new StoredPlan(null, Optional.empty());

  private final Object lock = new Object();

  /** Null once loaded, so that what the loader holds (a store, a path) is not kept longer. */
  private Loader loader;

  /** Null until loaded. */
  private volatile Optional<RunPlan> plan;

  private StoredPlan(Loader loader, Optional<RunPlan> plan) {
    this.loader = loader;
    this.plan = plan;
  }

  /** A plan already in memory, or {@link #ABSENT} when {@code plan} is {@code null}. */
  public static StoredPlan of(RunPlan plan) {
    return plan == null ? ABSENT : new StoredPlan(null, Optional.of(plan));
  }

  /** A plan {@code loader} reads on the first call of {@link #get}, and only then. */
  public static StoredPlan loadedBy(Loader loader) {
    return new StoredPlan(Objects.requireNonNull(loader, "loader"), null);
  }

  /**
   * The plan, read on the first call; empty when the run recorded none.
   *
   * @throws dev.orchestra.OrchestraException when the plan is on record but cannot be read (the
   *     next call tries again)
   */
  public Optional<RunPlan> get() {
    Optional<RunPlan> p = plan;
    if (p != null) {
      return p;
    }
    synchronized (lock) {
      if (plan == null) {
        plan = Objects.requireNonNull(loader.load(), "a plan loader answered null");
        loader = null;
      }
      return plan;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof StoredPlan other && get().equals(other.get()));
  }

  @Override
  public int hashCode() {
    return get().hashCode();
  }

  @Override
  public String toString() {
    Optional<RunPlan> p = plan;
    if (p == null) {
      return "StoredPlan[not read yet]";
    }
    return p.map(r -> "StoredPlan[" + r.nodes().size() + " nodes]").orElse("StoredPlan[absent]");
  }
}
