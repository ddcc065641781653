package dev.orchestra.store;

import java.util.List;
import java.util.Optional;

/**
 * One page of a run listing ({@link RunStore#list(RunQuery)}).
 *
 * @param runs the page's runs, newest first ({@link RunSummary#NEWEST_FIRST})
 * @param next where the next page starts, or empty when this page is the last
 */
public record RunPage(List<RunSummary> runs, Optional<RunCursor> next) {
  public RunPage {
    runs = List.copyOf(runs);
  }
}
