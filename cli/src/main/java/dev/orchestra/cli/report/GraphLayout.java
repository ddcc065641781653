package dev.orchestra.cli.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a graph's boxes and edges are drawn, in pixels from the top left corner.
 *
 * @param width the drawing's width, margins included
 * @param height the drawing's height, margins included
 * @param boxes each node's box, in the order of the graph's nodes
 * @param routes one route per distinct edge of the graph, in the graph's edge order
 */
public record GraphLayout(double width, double height, Map<String, Box> boxes, List<Route> routes) {

  public GraphLayout {
    boxes = Collections.unmodifiableMap(new LinkedHashMap<>(boxes));
    routes = List.copyOf(routes);
  }

  /**
   * A node's box.
   *
   * @param node the node id
   * @param layer its layer, 0 for nodes that need nothing (the leftmost column)
   * @param x its left edge
   * @param y its top edge
   */
  public record Box(String node, int layer, double x, double y, double width, double height) {

    /** Whether this box and {@code other} share any area. */
    public boolean overlaps(Box other) {
      return x < other.x + other.width
          && other.x < x + width
          && y < other.y + other.height
          && other.y < y + height;
    }
  }

  /** A point of a route. */
  public record Point(double x, double y) {}

  /**
   * How an edge is drawn: from the right side of its source box, through the columns of the layers
   * it spans (on a lane of its own in each, between the boxes there), to the left side of its
   * target box.
   *
   * @param edge the edge
   * @param points an even number of points, at least two: where the edge leaves its source, then
   *     for each layer it crosses the two ends of its lane there, then where it enters its target;
   *     so segments 0, 2, 4… cross a gap between columns (drawn as curves) and segments 1, 3… run
   *     straight along a lane
   */
  public record Route(ReportGraph.Edge edge, List<Point> points) {
    public Route {
      points = List.copyOf(points);
    }
  }
}
