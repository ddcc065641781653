package dev.orchestra.cli.report;

import dev.orchestra.cli.report.GraphLayout.Box;
import dev.orchestra.cli.report.GraphLayout.Point;
import dev.orchestra.cli.report.GraphLayout.Route;
import dev.orchestra.cli.report.RunReport.NodeReport;
import dev.orchestra.cli.run.Formats;
import dev.orchestra.event.NodeStatus;
import dev.orchestra.store.NodeResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a laid-out run graph as inline SVG markup: one link ({@code <a href="#node-ID">}) per node
 * holding its box and three lines of text (id; status and attempts; duration, tokens and cost), and
 * one path per edge with an arrowhead.
 *
 * <p>Only classes and SVG presentation attributes style it, never {@code style} attributes, so it
 * renders under a Content-Security-Policy of {@code style-src 'self'}: the presentation attributes
 * give a readable neutral drawing, the stylesheet's {@code status-*} classes colour it.
 */
final class SvgGraph {
  /** Roughly how many characters of each text line fit in a box of the default width. */
  private static final double ID_CHAR_WIDTH = 7.6;

  private static final double TEXT_CHAR_WIDTH = 6.6;

  /** The radius of a box's corners, also the width of its status band. */
  private static final double CORNER = 6;

  private SvgGraph() {}

  /** The {@code <svg>} element for {@code layout} with the facts of {@code report}'s nodes. */
  static String render(RunReport report, GraphLayout layout) {
    StringBuilder b = new StringBuilder(4096 + 700 * layout.boxes().size());
    String w = number(layout.width());
    String h = number(layout.height());
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"dag\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" role=\"img\" aria-labelledby=\"dag-title\" font-family=\"sans-serif\">\n")
        .append("<title id=\"dag-title\">")
        .append(Markup.escape("The nodes of workflow " + report.result().workflow()))
        .append(" and what each waits for</title>\n")
        .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\"")
        .append(" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">")
        .append("<path class=\"arrowhead\" d=\"M0,0 L10,5 L0,10 z\" fill=\"#80868b\"/>")
        .append("</marker></defs>\n<g class=\"edges\">\n");
    for (Route r : layout.routes()) {
      NodeReport from = report.nodes().get(r.edge().from());
      boolean blocked = from != null && !from.succeeded();
      b.append("<path class=\"edge")
          .append(blocked ? " edge-blocked" : "")
          .append("\" d=\"")
          .append(path(r.points()))
          .append("\" fill=\"none\" stroke=\"#80868b\" stroke-width=\"1.5\"")
          .append(" marker-end=\"url(#arrow)\"><title>")
          .append(Markup.escape(r.edge().to() + " needs " + r.edge().from()))
          .append("</title></path>\n");
    }
    b.append("</g>\n<g class=\"nodes\">\n");
    for (Box box : layout.boxes().values()) {
      node(b, report.nodes().get(box.node()), box);
    }
    b.append("</g>\n</svg>");
    return b.toString();
  }

  private static void node(StringBuilder b, NodeReport node, Box box) {
    NodeResult n = node.result();
    String status = n.status().wireName();
    String tooltip =
        n.node()
            + ": "
            + RunReport.words(n.status())
            + (node.reason() == null ? "" : " — " + node.reason());
    double x = box.x();
    double y = box.y();
    b.append("<a href=\"#")
        .append(Markup.escape(HtmlReport.anchor(n.node())))
        .append("\" class=\"node status-")
        .append(status)
        .append("\"><title>")
        .append(Markup.escape(tooltip))
        .append("</title><rect class=\"box\" x=\"")
        .append(number(x))
        .append("\" y=\"")
        .append(number(y))
        .append("\" width=\"")
        .append(number(box.width()))
        .append("\" height=\"")
        .append(number(box.height()))
        .append("\" rx=\"")
        .append(number(CORNER))
        .append("\" fill=\"#ffffff\" stroke=\"#5f6368\" stroke-width=\"1.5\"/>")
        .append("<path class=\"band\" d=\"")
        .append(band(x, y, box.height()))
        .append("\" fill=\"#5f6368\"/>");
    double textX = x + 14;
    double room = box.width() - 22;
    text(b, "node-id", textX, y + 21, 13, fit(n.node(), room / ID_CHAR_WIDTH));
    text(b, "node-status", textX, y + 39, 12, fit(statusLine(n), room / TEXT_CHAR_WIDTH));
    text(b, "node-usage", textX, y + 56, 12, fit(usageLine(n), room / TEXT_CHAR_WIDTH));
    b.append("</a>\n");
  }

  /** The status band along a box's left side, rounded like the box's corners. */
  private static String band(double x, double y, double height) {
    double r = CORNER;
    return "M"
        + number(x + r)
        + ","
        + number(y)
        + " V"
        + number(y + height)
        + " A"
        + number(r)
        + ","
        + number(r)
        + " 0 0 1 "
        + number(x)
        + ","
        + number(y + height - r)
        + " V"
        + number(y + r)
        + " A"
        + number(r)
        + ","
        + number(r)
        + " 0 0 1 "
        + number(x + r)
        + ","
        + number(y)
        + " Z";
  }

  private static void text(StringBuilder b, String cls, double x, double y, int size, String s) {
    b.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(number(x))
        .append("\" y=\"")
        .append(number(y))
        .append("\" font-size=\"")
        .append(size)
        .append("\" fill=\"#202124\">")
        .append(Markup.escape(s))
        .append("</text>");
  }

  /** {@code failed · 2 attempts}; just the status for a node that never started. */
  static String statusLine(NodeResult n) {
    String words = RunReport.words(n.status());
    if (n.attempts() == 0 && n.status() != NodeStatus.SUCCEEDED) {
      return words;
    }
    return words + " · " + n.attempts() + (n.attempts() == 1 ? " attempt" : " attempts");
  }

  /** {@code 1.2s · 41.2k tok · $0.42}, leaving out what is unknown or zero. */
  static String usageLine(NodeResult n) {
    List<String> parts = new ArrayList<>();
    if (n.attempts() > 0) {
      parts.add(Formats.duration(n.durationMs()));
    }
    if (n.usage().totalTokens() > 0) {
      parts.add(Formats.compactTokens(n.usage().totalTokens()) + " tok");
    }
    if (n.usage().costUsd().signum() > 0) {
      parts.add(Formats.compactCost(n.usage()));
    }
    return parts.isEmpty() ? "not run" : String.join(" · ", parts);
  }

  private static String fit(String s, double chars) {
    return Formats.truncate(s, (int) Math.max(4, Math.floor(chars)));
  }

  /**
   * An SVG path through the route's points: curves with horizontal tangents across the gaps between
   * columns, straight lines along lanes.
   */
  static String path(List<Point> points) {
    StringBuilder d = new StringBuilder();
    Point p = points.get(0);
    d.append('M').append(number(p.x())).append(',').append(number(p.y()));
    for (int i = 1; i < points.size(); i++) {
      Point q = points.get(i);
      if (i % 2 == 1) {
        double mid = (p.x() + q.x()) / 2;
        d.append(" C")
            .append(number(mid))
            .append(',')
            .append(number(p.y()))
            .append(' ')
            .append(number(mid))
            .append(',')
            .append(number(q.y()))
            .append(' ');
      } else {
        d.append(" L");
      }
      d.append(number(q.x())).append(',').append(number(q.y()));
      p = q;
    }
    return d.toString();
  }

  /** {@code 12}, {@code 12.5}: one decimal at most (rounded half up), no trailing zero. */
  static String number(double v) {
    long tenths = Math.round(v * 10);
    String sign = tenths < 0 ? "-" : "";
    long abs = Math.abs(tenths);
    return abs % 10 == 0 ? sign + abs / 10 : sign + abs / 10 + "." + abs % 10;
  }
}
