package dev.orchestra.engine;

import dev.orchestra.event.Usage;
import dev.orchestra.workflow.Budget;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run's spending against its budgets: what finished attempts spent (added to their nodes' usage),
 * and what running attempts have reported so far. The node's budget counts its finished attempts
 * and its running one; the run's counts every node's.
 *
 * <p>Not thread-safe: the coordinator's lock guards it (it writes {@link GraphNode#usage}).
 */
final class Spending {
  private final Budget runBudget;
  private final Map<GraphNode, Usage> running = new HashMap<>();
  private Usage committed;

  Spending(Budget runBudget) {
    this(runBudget, Usage.ZERO);
  }

  /**
   * @param spentElsewhere what the run spent outside this process (the other nodes of a planned
   *     run), counted against the run's budget and not against any node's
   */
  Spending(Budget runBudget, Usage spentElsewhere) {
    this.runBudget = runBudget;
    this.committed = spentElsewhere;
  }

  /** Records the usage of {@code n}'s running attempt so far; answers the budget it exceeds. */
  Optional<Overrun> report(GraphNode n, Usage soFar) {
    running.put(n, soFar);
    return check(n, soFar);
  }

  /** Adds a finished attempt's usage to its node and the run; answers as {@link #report}. */
  Optional<Overrun> commit(GraphNode n, Usage attempt) {
    running.remove(n);
    n.usage = n.usage.plus(attempt);
    committed = committed.plus(attempt);
    return check(n, Usage.ZERO);
  }

  private Optional<Overrun> check(GraphNode n, Usage runningOfNode) {
    Optional<Overrun> node = over(n.spec.budget(), n.usage.plus(runningOfNode)).map(Overrun::node);
    if (node.isPresent()) {
      return node;
    }
    Usage run = committed;
    for (Usage u : running.values()) {
      run = run.plus(u);
    }
    return over(runBudget, run).map(Overrun::run);
  }

  /** How {@code usage} exceeds {@code budget}, e.g. {@code ~$0.52 > $0.50}. */
  static Optional<String> over(Budget budget, Usage usage) {
    if (budget == null) {
      return Optional.empty();
    }
    if (budget.usd() != null && usage.costUsd().compareTo(budget.usd()) > 0) {
      return Optional.of(
          (usage.costEstimated() ? "~$" : "$")
              + usage.costUsd().toPlainString()
              + " > $"
              + budget.usd().toPlainString());
    }
    if (budget.tokens() != null && usage.totalTokens() > budget.tokens()) {
      return Optional.of(usage.totalTokens() + " tokens > " + budget.tokens());
    }
    return Optional.empty();
  }
}
