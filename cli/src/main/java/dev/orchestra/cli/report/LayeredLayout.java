package dev.orchestra.cli.report;

import dev.orchestra.cli.report.GraphLayout.Box;
import dev.orchestra.cli.report.GraphLayout.Point;
import dev.orchestra.cli.report.GraphLayout.Route;
import dev.orchestra.cli.report.ReportGraph.Edge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays out a DAG in layers from left to right, the way Sugiyama's method does:
 *
 * <ol>
 *   <li>each node's layer is the length of the longest chain of edges leading to it, so every edge
 *       points to a later layer;
 *   <li>an edge spanning several layers gets a lane (a dummy node) in each layer between, so it
 *       never runs through a box;
 *   <li>the order within each layer is improved by barycenter sweeps, alternately down and up,
 *       keeping the order with the fewest crossings;
 *   <li>vertical positions pull each node towards the mean of its neighbours in the previous layer
 *       (alternately from either side), keeping the order and the gaps (an isotonic regression by
 *       pool-adjacent-violators).
 * </ol>
 *
 * <p>The result depends only on the graph (node and edge order included) and the options: the same
 * input always gives the same drawing. Time is O(S·E·log V) for S sweeps (at most {@value
 * #MAX_SWEEPS}) over E edge segments (lanes included) and V items per layer; a hundred nodes take a
 * few milliseconds (bench/report-bench.sh). The class is stateless and thread-safe.
 */
public final class LayeredLayout {
  /** The most ordering sweeps; fewer when a sweep finds no crossings or stops improving. */
  static final int MAX_SWEEPS = 24;

  private static final int POSITION_ROUNDS = 8;

  private LayeredLayout() {}

  /**
   * Sizes and gaps, in pixels.
   *
   * @param boxWidth the width of every box
   * @param boxHeight the height of every box
   * @param layerGap the horizontal gap between two columns of boxes, where edges curve
   * @param nodeGap the least vertical gap between two boxes of a layer
   * @param laneGap the least vertical gap between a lane and its neighbour in a layer
   * @param margin the empty border around the drawing
   */
  public record Options(
      double boxWidth,
      double boxHeight,
      double layerGap,
      double nodeGap,
      double laneGap,
      double margin) {
    public Options {
      positive("boxWidth", boxWidth);
      positive("boxHeight", boxHeight);
      positive("layerGap", layerGap);
      positive("nodeGap", nodeGap);
      positive("laneGap", laneGap);
      if (!(margin >= 0)) {
        throw new IllegalArgumentException("margin must be >= 0, was " + margin);
      }
    }

    /** The sizes the HTML report uses: room for three short lines of text per box. */
    public static Options defaults() {
      return new Options(196, 66, 64, 18, 10, 16);
    }

    private static void positive(String name, double value) {
      if (!(value > 0)) {
        throw new IllegalArgumentException(name + " must be > 0, was " + value);
      }
    }
  }

  /**
   * Lays out {@code graph}.
   *
   * @throws IllegalArgumentException when an edge names a node the graph does not have, or the
   *     edges form a cycle (naming the nodes on it)
   */
  public static GraphLayout layout(ReportGraph graph, Options options) {
    return new Run(graph, options).layout();
  }

  /** The state of one layout. */
  private static final class Run {
    private final ReportGraph graph;
    private final Options o;
    private final int nodes;
    private final List<int[]> edges = new ArrayList<>();

    /** Per item (the nodes first, then the lanes): its layer and neighbours on either side. */
    private final List<Integer> layerOf = new ArrayList<>();

    private final List<List<Integer>> up = new ArrayList<>();
    private final List<List<Integer>> down = new ArrayList<>();

    /** Per edge of {@link #edges}: the items it passes, source first, target last. */
    private final List<List<Integer>> chains = new ArrayList<>();

    private double[] center;

    Run(ReportGraph graph, Options options) {
      this.graph = graph;
      this.o = options;
      this.nodes = graph.nodes().size();
      Map<String, Integer> index = new HashMap<>();
      for (String id : graph.nodes()) {
        if (index.put(id, index.size()) != null) {
          throw new IllegalArgumentException("node '" + id + "' is listed twice");
        }
      }
      Set<List<Integer>> seen = new LinkedHashSet<>();
      for (Edge e : graph.edges()) {
        Integer from = index.get(e.from());
        Integer to = index.get(e.to());
        if (from == null || to == null) {
          throw new IllegalArgumentException(
              "edge " + e.from() + " -> " + e.to() + " names a node the graph does not have");
        }
        if (seen.add(List.of(from, to))) {
          edges.add(new int[] {from, to});
        }
      }
    }

    GraphLayout layout() {
      int[] layer = longestPathLayers();
      for (int v = 0; v < nodes; v++) {
        addItem(layer[v]);
      }
      for (int[] e : edges) {
        List<Integer> chain = new ArrayList<>();
        chain.add(e[0]);
        int previous = e[0];
        for (int l = layer[e[0]] + 1; l < layer[e[1]]; l++) {
          int lane = addItem(l);
          link(previous, lane);
          chain.add(lane);
          previous = lane;
        }
        link(previous, e[1]);
        chain.add(e[1]);
        chains.add(chain);
      }
      int layers = 0;
      for (int l : layer) {
        layers = Math.max(layers, l + 1);
      }
      List<List<Integer>> order = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        order.add(new ArrayList<>());
      }
      for (int item = 0; item < layerOf.size(); item++) {
        order.get(layerOf.get(item)).add(item);
      }
      order = fewestCrossings(order);
      center = new double[layerOf.size()];
      placeVertically(order);
      return drawing(layers);
    }

    private int addItem(int layer) {
      layerOf.add(layer);
      up.add(new ArrayList<>());
      down.add(new ArrayList<>());
      return layerOf.size() - 1;
    }

    private void link(int from, int to) {
      down.get(from).add(to);
      up.get(to).add(from);
    }

    private boolean isNode(int item) {
      return item < nodes;
    }

    /** Kahn's algorithm: a node's layer is one more than the highest layer it needs. */
    private int[] longestPathLayers() {
      int[] layer = new int[nodes];
      int[] waiting = new int[nodes];
      List<List<Integer>> next = new ArrayList<>();
      for (int v = 0; v < nodes; v++) {
        next.add(new ArrayList<>());
      }
      for (int[] e : edges) {
        waiting[e[1]]++;
        next.get(e[0]).add(e[1]);
      }
      Deque<Integer> ready = new ArrayDeque<>();
      for (int v = 0; v < nodes; v++) {
        if (waiting[v] == 0) {
          ready.add(v);
        }
      }
      int done = 0;
      while (!ready.isEmpty()) {
        int v = ready.poll();
        done++;
        for (int w : next.get(v)) {
          layer[w] = Math.max(layer[w], layer[v] + 1);
          if (--waiting[w] == 0) {
            ready.add(w);
          }
        }
      }
      if (done < nodes) {
        List<String> stuck = new ArrayList<>();
        for (int v = 0; v < nodes; v++) {
          if (waiting[v] > 0) {
            stuck.add(graph.nodes().get(v));
          }
        }
        throw new IllegalArgumentException("the edges form a cycle through " + stuck);
      }
      return layer;
    }

    private List<List<Integer>> fewestCrossings(List<List<Integer>> order) {
      int[] pos = new int[layerOf.size()];
      order.forEach(items -> number(items, pos));
      List<List<Integer>> best = copy(order);
      long fewest = crossings(order, pos);
      int stale = 0;
      for (int sweep = 0; sweep < MAX_SWEEPS && fewest > 0 && stale < 4; sweep++) {
        if (sweep % 2 == 0) {
          for (int l = 1; l < order.size(); l++) {
            sortByBarycenter(order.get(l), up, pos);
          }
        } else {
          for (int l = order.size() - 2; l >= 0; l--) {
            sortByBarycenter(order.get(l), down, pos);
          }
        }
        long c = crossings(order, pos);
        if (c < fewest) {
          fewest = c;
          best = copy(order);
          stale = 0;
        } else {
          stale++;
        }
      }
      return best;
    }

    /**
     * Orders {@code items} by the mean position of their neighbours; an item without any keeps its
     * position as its key, and ties keep their order (the sort is stable).
     */
    private static void sortByBarycenter(
        List<Integer> items, List<List<Integer>> neighbours, int[] pos) {
      Map<Integer, Double> key = new HashMap<>();
      for (int item : items) {
        List<Integer> ns = neighbours.get(item);
        double k = pos[item];
        if (!ns.isEmpty()) {
          double sum = 0;
          for (int n : ns) {
            sum += pos[n];
          }
          k = sum / ns.size();
        }
        key.put(item, k);
      }
      items.sort(Comparator.comparingDouble(key::get));
      number(items, pos);
    }

    private static void number(List<Integer> items, int[] pos) {
      for (int i = 0; i < items.size(); i++) {
        pos[items.get(i)] = i;
      }
    }

    /**
     * The crossings between each two adjacent layers: with the segments sorted by their upper end,
     * then lower end, two cross when a later one ends higher below; counted with a Fenwick tree in
     * O(E log V).
     */
    private long crossings(List<List<Integer>> order, int[] pos) {
      long total = 0;
      for (int l = 0; l + 1 < order.size(); l++) {
        int below = order.get(l + 1).size();
        int count = 0;
        for (int a : order.get(l)) {
          count += down.get(a).size();
        }
        long[] segments = new long[count];
        int i = 0;
        for (int a : order.get(l)) {
          for (int b : down.get(a)) {
            segments[i++] = (long) pos[a] * below + pos[b];
          }
        }
        Arrays.sort(segments);
        int[] tree = new int[below + 1];
        for (int k = 0; k < count; k++) {
          int lower = (int) (segments[k] % below);
          int atOrAbove = 0;
          for (int j = lower + 1; j > 0; j -= j & -j) {
            atOrAbove += tree[j];
          }
          total += k - atOrAbove;
          for (int j = lower + 1; j <= below; j += j & -j) {
            tree[j]++;
          }
        }
      }
      return total;
    }

    private static List<List<Integer>> copy(List<List<Integer>> order) {
      List<List<Integer>> c = new ArrayList<>(order.size());
      order.forEach(items -> c.add(new ArrayList<>(items)));
      return c;
    }

    private double size(int item) {
      return isNode(item) ? o.boxHeight() : 0;
    }

    private double gap(int a, int b) {
      return size(a) / 2 + size(b) / 2 + (isNode(a) && isNode(b) ? o.nodeGap() : o.laneGap());
    }

    private void placeVertically(List<List<Integer>> order) {
      double tallest = 0;
      for (List<Integer> items : order) {
        tallest = Math.max(tallest, extent(items));
      }
      for (List<Integer> items : order) {
        double y = (tallest - extent(items)) / 2;
        for (int i = 0; i < items.size(); i++) {
          y += i == 0 ? size(items.get(0)) / 2 : gap(items.get(i - 1), items.get(i));
          center[items.get(i)] = y;
        }
      }
      for (int round = 0; round < POSITION_ROUNDS; round++) {
        if (round % 2 == 0) {
          for (int l = 1; l < order.size(); l++) {
            pullTowards(order.get(l), up);
          }
        } else {
          for (int l = order.size() - 2; l >= 0; l--) {
            pullTowards(order.get(l), down);
          }
        }
      }
      double top = Double.MAX_VALUE;
      for (int item = 0; item < center.length; item++) {
        top = Math.min(top, center[item] - size(item) / 2);
      }
      for (int item = 0; item < center.length; item++) {
        center[item] += o.margin() - top;
      }
    }

    private double extent(List<Integer> items) {
      if (items.isEmpty()) {
        return 0;
      }
      double e = size(items.get(0)) / 2 + size(items.get(items.size() - 1)) / 2;
      for (int i = 1; i < items.size(); i++) {
        e += gap(items.get(i - 1), items.get(i));
      }
      return e;
    }

    /**
     * Moves the items of a layer as close as their order and gaps allow to the mean centre of their
     * neighbours (least squares): with {@code o_i} the least offset of item {@code i} from the
     * first, {@code c_i - o_i} must not decrease, which pool-adjacent-violators solves exactly.
     */
    private void pullTowards(List<Integer> items, List<List<Integer>> neighbours) {
      int k = items.size();
      double[] offset = new double[k];
      double[] target = new double[k];
      for (int i = 0; i < k; i++) {
        int item = items.get(i);
        offset[i] = i == 0 ? 0 : offset[i - 1] + gap(items.get(i - 1), item);
        List<Integer> ns = neighbours.get(item);
        double want = center[item];
        if (!ns.isEmpty()) {
          double sum = 0;
          for (int n : ns) {
            sum += center[n];
          }
          want = sum / ns.size();
        }
        target[i] = want - offset[i];
      }
      double[] blockSum = new double[k];
      int[] blockCount = new int[k];
      int blocks = 0;
      for (int i = 0; i < k; i++) {
        blockSum[blocks] = target[i];
        blockCount[blocks] = 1;
        blocks++;
        while (blocks > 1
            && blockSum[blocks - 2] / blockCount[blocks - 2]
                > blockSum[blocks - 1] / blockCount[blocks - 1]) {
          blockSum[blocks - 2] += blockSum[blocks - 1];
          blockCount[blocks - 2] += blockCount[blocks - 1];
          blocks--;
        }
      }
      int i = 0;
      for (int b = 0; b < blocks; b++) {
        double mean = blockSum[b] / blockCount[b];
        for (int j = 0; j < blockCount[b]; j++, i++) {
          center[items.get(i)] = mean + offset[i];
        }
      }
    }

    private double columnX(int layer) {
      return o.margin() + layer * (o.boxWidth() + o.layerGap());
    }

    private GraphLayout drawing(int layers) {
      Map<String, Box> boxes = new LinkedHashMap<>();
      double bottom = 0;
      for (int v = 0; v < nodes; v++) {
        int l = layerOf.get(v);
        Box box =
            new Box(
                graph.nodes().get(v),
                l,
                columnX(l),
                center[v] - o.boxHeight() / 2,
                o.boxWidth(),
                o.boxHeight());
        boxes.put(box.node(), box);
        bottom = Math.max(bottom, box.y() + box.height());
      }
      List<Route> routes = new ArrayList<>();
      for (int e = 0; e < edges.size(); e++) {
        List<Integer> chain = chains.get(e);
        List<Point> points = new ArrayList<>();
        int source = chain.get(0);
        int target = chain.get(chain.size() - 1);
        points.add(new Point(columnX(layerOf.get(source)) + o.boxWidth(), center[source]));
        for (int lane : chain.subList(1, chain.size() - 1)) {
          double x = columnX(layerOf.get(lane));
          points.add(new Point(x, center[lane]));
          points.add(new Point(x + o.boxWidth(), center[lane]));
          bottom = Math.max(bottom, center[lane]);
        }
        points.add(new Point(columnX(layerOf.get(target)), center[target]));
        routes.add(
            new Route(new Edge(graph.nodes().get(source), graph.nodes().get(target)), points));
      }
      double width =
          2 * o.margin() + layers * o.boxWidth() + Math.max(0, layers - 1) * o.layerGap();
      double height = nodes == 0 ? 2 * o.margin() : bottom + o.margin();
      return new GraphLayout(width, height, boxes, routes);
    }
  }
}
