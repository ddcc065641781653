package dev.orchestra.workflow.validate;

import dev.orchestra.workflow.NodeSpec;
import dev.orchestra.workflow.SourceMap;
import dev.orchestra.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.Graphs;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * The {@code needs} graph of one workflow: reports unknown targets, self-needs and cycles, and
 * answers which nodes are (transitively) upstream of which.
 *
 * <p>Building costs {@code O(V + E)}: Kahn's algorithm peels off every node not caught in a cycle,
 * and only what remains goes to JGraphT's strongly connected components. Each component yields its
 * shortest cycle through its first node, then the cycles left once that node is taken out, up to
 * ten per component (so a dense tangle costs at most ten more passes over it). Upstream questions
 * about a direct need are answered at once; the first other question computes every node's
 * ancestors as bit sets in topological order ({@code O(V * V / 64 + E * V / 64)} words). Not
 * thread-safe; one instance per validation.
 */
final class NeedsGraph {
  private static final int CYCLES_PER_COMPONENT = 10;
  private final List<String> ids;
  private final Map<String, Integer> index;
  private final int[][] needs;
  private final int[] topologicalOrder;
  private BitSet[] ancestors;

  private NeedsGraph(
      List<String> ids, Map<String, Integer> index, int[][] needs, int[] topologicalOrder) {
    this.ids = ids;
    this.index = index;
    this.needs = needs;
    this.topologicalOrder = topologicalOrder;
  }

  /** Builds the graph of {@code scope}'s workflow, reporting every problem with its needs. */
  static NeedsGraph build(ValidationScope scope) {
    Workflow wf = scope.workflow();
    List<String> ids = new ArrayList<>(wf.nodes().keySet());
    Map<String, Integer> index = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      index.put(ids.get(i), i);
    }
    int[][] needs = new int[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      needs[i] = targets(scope, ids.get(i), wf.nodes().get(ids.get(i)), index);
    }
    int[] order = kahn(needs);
    if (order.length == needs.length) {
      return new NeedsGraph(ids, index, needs, order);
    }
    NeedsGraph graph = new NeedsGraph(ids, index, needs, null);
    graph.reportCycles(scope, order);
    return graph;
  }

  private static int[] targets(
      ValidationScope scope, String id, NodeSpec node, Map<String, Integer> index) {
    int[] out = new int[node.needs().size()];
    int n = 0;
    for (int k = 0; k < node.needs().size(); k++) {
      String need = node.needs().get(k);
      Integer target = need == null ? null : index.get(need);
      if (need == null) {
        // A bad entry the parser has already reported.
      } else if (need.equals(id)) {
        scope.atValue(
            SourceMap.pointer("nodes", id, "needs", k),
            "node '" + id + "' needs itself; remove '" + id + "' from its needs");
      } else if (target == null) {
        scope.atValue(
            SourceMap.pointer("nodes", id, "needs", k),
            "node '" + id + "' needs '" + need + "', which is not a node of this workflow",
            Names.hint(need, index.keySet(), "remove it or define a node '" + need + "'"));
      } else {
        out[n++] = target;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Node indices in an order where needs come first; nodes caught in or behind a cycle are missing,
   * so the answer is shorter than {@code needs} exactly when there is a cycle.
   */
  private static int[] kahn(int[][] needs) {
    int count = needs.length;
    int[] waiting = new int[count];
    int[][] dependents = dependents(needs);
    int[] order = new int[count];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < count; i++) {
      waiting[i] = needs[i].length;
      if (waiting[i] == 0) {
        order[tail++] = i;
      }
    }
    while (head < tail) {
      int done = order[head++];
      for (int d : dependents[done]) {
        if (--waiting[d] == 0) {
          order[tail++] = d;
        }
      }
    }
    return Arrays.copyOf(order, tail);
  }

  private static int[][] dependents(int[][] needs) {
    int[] sizes = new int[needs.length];
    for (int[] ns : needs) {
      for (int t : ns) {
        sizes[t]++;
      }
    }
    int[][] out = new int[needs.length][];
    for (int i = 0; i < needs.length; i++) {
      out[i] = new int[sizes[i]];
      sizes[i] = 0;
    }
    for (int i = 0; i < needs.length; i++) {
      for (int t : needs[i]) {
        out[t][sizes[t]++] = i;
      }
    }
    return out;
  }

  /**
   * Reports the cycles among the nodes not in {@code acyclic} as the class describes, each printed
   * in execution order ({@code a -> b} meaning b needs a) from its first node in file order.
   */
  private void reportCycles(ValidationScope scope, int[] acyclic) {
    BitSet peeled = new BitSet(needs.length);
    for (int v : acyclic) {
      peeled.set(v);
    }
    // Only what Kahn could not peel off can lie on a cycle.
    Graph<Integer, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
    for (int i = peeled.nextClearBit(0); i < needs.length; i = peeled.nextClearBit(i + 1)) {
      g.addVertex(i);
    }
    for (int i = peeled.nextClearBit(0); i < needs.length; i = peeled.nextClearBit(i + 1)) {
      for (int t : needs[i]) {
        if (!peeled.get(t)) {
          g.addEdge(t, i);
        }
      }
    }
    List<List<Integer>> cycles = new ArrayList<>();
    for (Set<Integer> component : cyclicComponents(g)) {
      // Cycles sharing nodes form one component; taking out each reported cycle's first node and
      // looking again finds the others, up to a bound that keeps dense tangles linear to check.
      ArrayDeque<Set<Integer>> tangles = new ArrayDeque<>(List.of(component));
      for (int found = 0; found < CYCLES_PER_COMPONENT && !tangles.isEmpty(); found++) {
        Set<Integer> tangle = tangles.poll();
        List<Integer> cycle = shortestCycle(g, tangle);
        cycles.add(cycle);
        Set<Integer> rest = new HashSet<>(tangle);
        rest.remove(cycle.get(0));
        tangles.addAll(cyclicComponents(new AsSubgraph<>(g, rest)));
      }
    }
    cycles.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
    for (List<Integer> cycle : cycles) {
      int start = cycle.get(0);
      int last = cycle.get(cycle.size() - 1);
      StringBuilder path = new StringBuilder();
      for (int v : cycle) {
        path.append(ids.get(v)).append(" -> ");
      }
      path.append(ids.get(start));
      String startId = ids.get(start);
      int k = scope.workflow().nodes().get(startId).needs().indexOf(ids.get(last));
      scope.atValue(
          SourceMap.pointer("nodes", startId, "needs", k),
          "needs form a cycle: "
              + path
              + " (each node needs the one before it); remove one of these needs");
    }
  }

  private static List<Set<Integer>> cyclicComponents(Graph<Integer, DefaultEdge> g) {
    List<Set<Integer>> out = new ArrayList<>();
    for (Set<Integer> c : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
      if (c.size() > 1) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<Integer> shortestCycle(Graph<Integer, DefaultEdge> g, Set<Integer> scc) {
    int start = scc.stream().mapToInt(Integer::intValue).min().orElseThrow();
    Map<Integer, Integer> parent = new HashMap<>();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int next : Graphs.successorListOf(g, v)) {
        if (next == start) {
          List<Integer> cycle = new ArrayList<>();
          for (Integer at = v; at != null; at = parent.get(at)) {
            cycle.add(0, at);
          }
          return cycle;
        }
        if (scc.contains(next) && next != start && !parent.containsKey(next)) {
          parent.put(next, v);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("component without a cycle: " + scc);
  }

  /** Whether {@code id} is a node of the workflow. */
  boolean contains(String id) {
    return index.containsKey(id);
  }

  /** The node ids in file order. */
  List<String> ids() {
    return ids;
  }

  /** Whether {@code upstream} must succeed before {@code node} starts (through any chain). */
  boolean isUpstream(String upstream, String node) {
    Integer u = index.get(upstream);
    Integer n = index.get(node);
    if (u == null || n == null || u.equals(n)) {
      return false;
    }
    for (int t : needs[n]) {
      if (t == u) {
        return true;
      }
    }
    if (topologicalOrder == null) {
      return reaches(n, u);
    }
    if (ancestors == null) {
      ancestors = new BitSet[needs.length];
      for (int v : topologicalOrder) {
        BitSet a = new BitSet();
        for (int t : needs[v]) {
          a.set(t);
          a.or(ancestors[t]);
        }
        ancestors[v] = a;
      }
    }
    return ancestors[n].get(u);
  }

  /** A search along needs, used only when cycles make ancestor sets ill-defined. */
  private boolean reaches(int from, int target) {
    BitSet seen = new BitSet(needs.length);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(from);
    seen.set(from);
    while (!queue.isEmpty()) {
      for (int t : needs[queue.poll()]) {
        if (t == target) {
          return true;
        }
        if (!seen.get(t)) {
          seen.set(t);
          queue.add(t);
        }
      }
    }
    return false;
  }
}
