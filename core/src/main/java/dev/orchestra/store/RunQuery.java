package dev.orchestra.store;

import dev.orchestra.OrchestraException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which runs a listing shows ({@link RunStore#list(RunQuery)}) and how many at once. Immutable; the
 * {@code with…} methods return changed copies. Start from {@link #first(int)}.
 *
 * @param statuses the statuses to show; empty shows every run
 * @param workflow the workflow name to show, or {@code null} for every workflow
 * @param startedFrom the earliest start time to show (inclusive), or {@code null}
 * @param startedBefore the start time from which on runs are not shown (exclusive), or {@code null}
 * @param limit the most runs on one page, from 1 to {@value #MAX_LIMIT}
 * @param after where the previous page ended, or {@code null} for the first page
 */
public record RunQuery(
    Set<RunQuery.Status> statuses,
    String workflow,
    Instant startedFrom,
    Instant startedBefore,
    int limit,
    RunCursor after) {

  /** The largest page. */
  public static final int MAX_LIMIT = 1000;

  /** A run's status as listings filter and show it: the final one, or whether it still runs. */
  public enum Status {
    /** No result, and a process holds the run (it runs or resumes now). */
    RUNNING,
    /** No result, and no process holds the run: {@code orchestra resume} continues it. */
    INTERRUPTED,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    /** The status of a listed run. */
    public static Status of(RunSummary run) {
      if (run.status() == null) {
        return run.active() ? RUNNING : INTERRUPTED;
      }
      return switch (run.status()) {
        case RUNNING -> RUNNING;
        case SUCCEEDED -> SUCCEEDED;
        case FAILED -> FAILED;
        case CANCELLED -> CANCELLED;
      };
    }

    /** The lower-case word, as the CLI and the API write it. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status named {@code word}.
     *
     * @throws OrchestraException naming the word and the statuses there are
     */
    public static Status fromWire(String word) {
      for (Status s : values()) {
        if (s.wireName().equals(word)) {
          return s;
        }
      }
      throw new OrchestraException(
          "'"
              + word
              + "' is not a run status; use one of "
              + Arrays.stream(values()).map(Status::wireName).collect(Collectors.joining(", ")));
    }
  }

  public RunQuery {
    statuses =
        statuses == null || statuses.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(statuses));
    workflow = workflow == null || workflow.isBlank() ? null : workflow;
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("a page holds 1 to " + MAX_LIMIT + " runs, was " + limit);
    }
    if (startedFrom != null && startedBefore != null && !startedFrom.isBefore(startedBefore)) {
      throw new IllegalArgumentException(
          "the start of the time range must be before its end, was "
              + startedFrom
              + " to "
              + startedBefore);
    }
  }

  /** The first {@code limit} runs, newest first, of any status and workflow. */
  public static RunQuery first(int limit) {
    return new RunQuery(Set.of(), null, null, null, limit, null);
  }

  /** This query for runs with one of {@code statuses} only (none: any status). */
  public RunQuery withStatuses(Collection<Status> statuses) {
    return new RunQuery(
        statuses.isEmpty() ? Set.of() : EnumSet.copyOf(statuses),
        workflow,
        startedFrom,
        startedBefore,
        limit,
        after);
  }

  /** This query for runs with one of {@code statuses} only. */
  public RunQuery withStatuses(Status... statuses) {
    return withStatuses(List.of(statuses));
  }

  /** This query for runs of the workflow named {@code workflow} only ({@code null}: any). */
  public RunQuery withWorkflow(String workflow) {
    return new RunQuery(statuses, workflow, startedFrom, startedBefore, limit, after);
  }

  /**
   * This query for runs started at {@code from} or later and before {@code before} (each may be
   * null).
   */
  public RunQuery startedBetween(Instant from, Instant before) {
    return new RunQuery(statuses, workflow, from, before, limit, after);
  }

  /** This query for the page after {@code cursor} ({@code null}: the first page). */
  public RunQuery after(RunCursor cursor) {
    return new RunQuery(statuses, workflow, startedFrom, startedBefore, limit, cursor);
  }

  /** This query for the page after the one {@code token} ({@link RunCursor#token()}) ended. */
  public RunQuery after(String token) {
    return after(token == null || token.isBlank() ? null : RunCursor.parse(token));
  }

  /** Where the previous page ended, or empty for the first page. */
  public Optional<RunCursor> cursor() {
    return Optional.ofNullable(after);
  }

  /** Whether {@code run} passes the filters (status, workflow, time range), whatever the cursor. */
  public boolean matches(RunSummary run) {
    return (statuses.isEmpty() || statuses.contains(Status.of(run)))
        && (workflow == null || workflow.equals(run.workflow()))
        && (startedFrom == null || !run.started().isBefore(startedFrom))
        && (startedBefore == null || run.started().isBefore(startedBefore));
  }

  /**
   * The page of this query out of {@code runs}, every run of a store in any order: for stores that
   * keep no index and list by reading everything. Costs O(n log n) for n runs.
   */
  public RunPage select(Collection<RunSummary> runs) {
    List<RunSummary> matching =
        runs.stream()
            .filter(this::matches)
            .filter(r -> after == null || after.precedes(r))
            .sorted(RunSummary.NEWEST_FIRST)
            .limit(limit + 1L)
            .toList();
    if (matching.size() <= limit) {
      return new RunPage(matching, Optional.empty());
    }
    List<RunSummary> page = matching.subList(0, limit);
    return new RunPage(page, Optional.of(RunCursor.after(page.get(limit - 1))));
  }
}
