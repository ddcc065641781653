package dev.orchestra.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchestra.cli.report.GraphLayout.Box;
import dev.orchestra.cli.report.GraphLayout.Point;
import dev.orchestra.cli.report.GraphLayout.Route;
import dev.orchestra.cli.report.ReportGraph.Edge;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayeredLayoutTest {
  private static final LayeredLayout.Options OPTIONS = LayeredLayout.Options.defaults();

  /** {@code n} nodes, each needing up to three earlier ones, from a fixed seed. */
  static ReportGraph randomDag(int n, long seed) {
    Random random = new Random(seed);
    List<String> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add("n" + i);
      int needs = i == 0 ? 0 : random.nextInt(Math.min(i, 3) + 1);
      for (int k = 0; k < needs; k++) {
        Edge e = new Edge("n" + random.nextInt(i), "n" + i);
        if (!edges.contains(e)) {
          edges.add(e);
        }
      }
    }
    return new ReportGraph(nodes, edges);
  }

  private static ReportGraph graph(String... edges) {
    List<String> nodes = new ArrayList<>();
    List<Edge> list = new ArrayList<>();
    for (String e : edges) {
      String[] ends = e.split("->", -1);
      for (String end : ends) {
        if (!nodes.contains(end)) {
          nodes.add(end);
        }
      }
      if (ends.length == 2) {
        list.add(new Edge(ends[0], ends[1]));
      }
    }
    return new ReportGraph(nodes, list);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void putsEveryNodeInALaterColumnThanEachNodeItNeeds(long seed) {
    ReportGraph g = randomDag(100, seed);
    GraphLayout layout = LayeredLayout.layout(g, OPTIONS);

    assertThat(layout.boxes()).hasSize(100);
    for (Edge e : g.edges()) {
      Box from = layout.boxes().get(e.from());
      Box to = layout.boxes().get(e.to());
      assertThat(to.layer()).as(e.toString()).isGreaterThan(from.layer());
      assertThat(to.x()).as(e.toString()).isGreaterThanOrEqualTo(from.x() + from.width());
    }
  }

  @Test
  void placesEachNodeInTheLayerOfItsLongestChainOfNeeds() {
    GraphLayout layout = LayeredLayout.layout(graph("a->b", "b->c", "a->c", "d"), OPTIONS);

    assertThat(layout.boxes().get("a").layer()).isZero();
    assertThat(layout.boxes().get("b").layer()).isEqualTo(1);
    assertThat(layout.boxes().get("c").layer()).isEqualTo(2);
    assertThat(layout.boxes().get("d").layer()).isZero();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void neverOverlapsTwoBoxesAndKeepsTheGapBetweenThem(long seed) {
    GraphLayout layout = LayeredLayout.layout(randomDag(100, seed), OPTIONS);

    List<Box> boxes = List.copyOf(layout.boxes().values());
    for (int i = 0; i < boxes.size(); i++) {
      for (int j = i + 1; j < boxes.size(); j++) {
        Box a = boxes.get(i);
        Box b = boxes.get(j);
        assertThat(a.overlaps(b)).as(a + " and " + b).isFalse();
        if (a.layer() == b.layer()) {
          double gap = Math.max(b.y() - (a.y() + a.height()), a.y() - (b.y() + b.height()));
          assertThat(gap).as(a + " and " + b).isGreaterThanOrEqualTo(OPTIONS.nodeGap() - 1e-6);
        }
      }
    }
  }

  @Test
  void givesTheSameDrawingForTheSameGraph() {
    ReportGraph g = randomDag(100, 7);

    assertThat(LayeredLayout.layout(g, OPTIONS)).isEqualTo(LayeredLayout.layout(g, OPTIONS));
  }

  @Test
  void untanglesEdgesThatCrossInTheGivenOrder() {
    // In file order the edges a->d and b->c cross; one swap removes the crossing.
    GraphLayout layout = LayeredLayout.layout(graph("a->d", "b->c", "c", "d"), OPTIONS);

    assertThat(layout.boxes().get("a").y() < layout.boxes().get("b").y())
        .isEqualTo(layout.boxes().get("d").y() < layout.boxes().get("c").y());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42})
  void crossesFewerEdgesThanTheFileOrderWould(long seed) {
    ReportGraph g = randomDag(60, seed);
    GraphLayout layout = LayeredLayout.layout(g, OPTIONS);
    // The same layering with every layer in file order: what a naive drawing would show.
    List<String> fileOrder = g.nodes();

    assertThat(crossings(layout, b -> (double) fileOrder.indexOf(b.node())))
        .isGreaterThanOrEqualTo(crossings(layout, Box::y));
  }

  /** Crossings between the edges joining adjacent layers, ordering each layer by {@code key}. */
  private static long crossings(GraphLayout layout, java.util.function.ToDoubleFunction<Box> key) {
    List<Box[]> segments =
        layout.routes().stream()
            .map(
                r ->
                    new Box[] {
                      layout.boxes().get(r.edge().from()), layout.boxes().get(r.edge().to())
                    })
            .filter(s -> s[1].layer() == s[0].layer() + 1)
            .toList();
    long c = 0;
    for (int i = 0; i < segments.size(); i++) {
      for (int j = i + 1; j < segments.size(); j++) {
        Box[] s = segments.get(i);
        Box[] t = segments.get(j);
        if (s[0].layer() == t[0].layer()
            && Math.signum(key.applyAsDouble(s[0]) - key.applyAsDouble(t[0]))
                    * Math.signum(key.applyAsDouble(s[1]) - key.applyAsDouble(t[1]))
                < 0) {
          c++;
        }
      }
    }
    return c;
  }

  @Test
  void routesALongEdgeAlongALaneThatMissesTheBoxesItPasses() {
    // a->d spans two layers full of boxes (b1..b3, c1..c3).
    GraphLayout layout =
        LayeredLayout.layout(
            graph("a->b1", "a->b2", "a->b3", "b1->c1", "b2->c2", "b3->c3", "c1->d", "a->d"),
            OPTIONS);
    Route route =
        layout.routes().stream().filter(r -> r.edge().equals(new Edge("a", "d"))).findFirst().get();

    assertThat(route.points()).hasSize(6);
    Box a = layout.boxes().get("a");
    Box d = layout.boxes().get("d");
    assertThat(route.points().get(0))
        .isEqualTo(new Point(a.x() + a.width(), a.y() + a.height() / 2));
    assertThat(route.points().get(5)).isEqualTo(new Point(d.x(), d.y() + d.height() / 2));
    for (Point p : route.points().subList(1, 5)) {
      for (Box box : layout.boxes().values()) {
        boolean inColumn = p.x() >= box.x() && p.x() <= box.x() + box.width();
        if (inColumn) {
          assertThat(
                  p.y() < box.y() - OPTIONS.laneGap() + 1e-6
                      || p.y() > box.y() + box.height() + OPTIONS.laneGap() - 1e-6)
              .as("lane point " + p + " against " + box)
              .isTrue();
        }
      }
    }
  }

  @Test
  void sizesTheDrawingToItsContent() {
    GraphLayout layout = LayeredLayout.layout(randomDag(100, 5), OPTIONS);
    int layers = layout.boxes().values().stream().mapToInt(Box::layer).max().getAsInt() + 1;

    assertThat(layout.width())
        .isEqualTo(
            2 * OPTIONS.margin() + layers * OPTIONS.boxWidth() + (layers - 1) * OPTIONS.layerGap());
    double top = layout.boxes().values().stream().mapToDouble(Box::y).min().getAsDouble();
    double bottom =
        layout.boxes().values().stream().mapToDouble(b -> b.y() + b.height()).max().getAsDouble();
    assertThat(top).isGreaterThanOrEqualTo(OPTIONS.margin() - 1e-6);
    assertThat(layout.height()).isGreaterThanOrEqualTo(bottom + OPTIONS.margin() - 1e-6);
    for (Route r : layout.routes()) {
      for (Point p : r.points()) {
        assertThat(p.y()).isBetween(0.0, layout.height());
      }
    }
  }

  @Test
  void drawsANodeWithoutEdgesAndAnEmptyGraph() {
    GraphLayout one = LayeredLayout.layout(graph("solo"), OPTIONS);
    assertThat(one.boxes().get("solo").x()).isEqualTo(OPTIONS.margin());
    assertThat(one.routes()).isEmpty();

    GraphLayout none = LayeredLayout.layout(new ReportGraph(List.of(), List.of()), OPTIONS);
    assertThat(none.boxes()).isEmpty();
    assertThat(none.width()).isEqualTo(2 * OPTIONS.margin());
  }

  @Test
  void rejectsACycleNamingItsNodesAndAnEdgeToAnUnknownNode() {
    assertThatThrownBy(() -> LayeredLayout.layout(graph("a->b", "b->c", "c->b"), OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle through [b, c]");
    assertThatThrownBy(
            () ->
                LayeredLayout.layout(
                    new ReportGraph(List.of("a"), List.of(new Edge("a", "ghost"))), OPTIONS))
        .hasMessageContaining("a -> ghost");
    assertThatThrownBy(() -> new LayeredLayout.Options(0, 66, 64, 18, 10, 16))
        .hasMessage("boxWidth must be > 0, was 0.0");
  }

  @Test
  void keepsAChainOnOneLine() {
    GraphLayout layout = LayeredLayout.layout(graph("a->b", "b->c", "c->d"), OPTIONS);

    assertThat(layout.boxes().values().stream().map(Box::y).collect(Collectors.toSet())).hasSize(1);
  }
}
