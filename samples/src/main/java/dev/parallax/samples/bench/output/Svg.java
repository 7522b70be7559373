package dev.parallax.samples.bench.output;

import com.google.common.html.HtmlEscapers;
import dev.parallax.samples.bench.model.Chart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws charts as inline SVG elements, with no script and no external resource. Every piece of text
 * is escaped.
 */
final class Svg {

  /** Ten distinguishable colours (Tableau 10). */
  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"
  };

  private static final int WIDTH = 760;

  private Svg() {}

  /** Draws any chart. */
  static String draw(Chart chart) {
    return switch (chart) {
      case Chart.Bars bars -> bars(bars);
      case Chart.Lines lines -> lines(lines);
      case Chart.Gantt gantt -> gantt(gantt);
    };
  }

  /** Escapes text for HTML and SVG content and attribute values. */
  static String escape(String text) {
    return HtmlEscapers.htmlEscaper().escape(text);
  }

  /** A number with as many digits as it deserves. */
  static String number(double v) {
    return Values.number(v);
  }

  private static String bars(Chart.Bars chart) {
    int labelWidth = 170;
    int valueWidth = 110;
    int row = 26;
    int top = 34;
    int plot = WIDTH - labelWidth - valueWidth;
    int height = top + row * chart.bars().size() + 24;
    double max = 0;
    for (Chart.Bar bar : chart.bars()) {
      max = Math.max(max, finiteOrZero(bar.value()));
      max = Math.max(max, finiteOrZero(bar.marker()));
    }
    double scale = max > 0 ? plot / max : 0;
    StringBuilder svg = open(WIDTH, height, chart.title());
    title(svg, chart.title());
    for (int i = 0; i < chart.bars().size(); i++) {
      Chart.Bar bar = chart.bars().get(i);
      int y = top + i * row;
      double w = finiteOrZero(bar.value()) * scale;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">%s</text>",
              labelWidth - 8,
              y + 16,
              escape(bar.label())));
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %s"
                  + " %s</title></rect>",
              labelWidth,
              y + 3,
              w,
              row - 8,
              PALETTE[i % PALETTE.length],
              escape(bar.label()),
              number(bar.value()),
              escape(chart.unit())));
      if (Double.isFinite(bar.marker())) {
        double mx = labelWidth + bar.marker() * scale;
        svg.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"marker\"><title>%s:"
                    + " %s %s</title></line>",
                mx,
                y,
                mx,
                y + row - 2,
                escape(chart.markerName()),
                number(bar.marker()),
                escape(chart.unit())));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s %s</text>",
              labelWidth + w + 6,
              y + 16,
              number(bar.value()),
              escape(chart.unit())));
    }
    boolean anyMarker = chart.bars().stream().anyMatch(b -> Double.isFinite(b.marker()));
    if (anyMarker && !chart.markerName().isEmpty()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" class=\"note\">| %s</text>",
              labelWidth,
              height - 6,
              escape(chart.markerName())));
    }
    return svg.append("</svg>").toString();
  }

  private static String lines(Chart.Lines chart) {
    int left = 70;
    int right = 140;
    int top = 34;
    int bottom = 46;
    int height = 320;
    int plotW = WIDTH - left - right;
    int plotH = height - top - bottom;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = 0;
    for (Chart.Series s : chart.series()) {
      for (Chart.Point p : s.points()) {
        minX = Math.min(minX, p.x());
        maxX = Math.max(maxX, p.x());
        maxY = Math.max(maxY, finiteOrZero(p.y()));
      }
    }
    if (!(maxX > minX)) {
      maxX = minX + 1;
    }
    double[] yTicks = ticks(0, maxY > 0 ? maxY * 1.05 : 1);
    double yMax = yTicks[yTicks.length - 1];
    double[] xTicks = ticks(minX, maxX);
    double x0 = minX;
    double xSpan = maxX - minX;
    StringBuilder svg = open(WIDTH, height, chart.title());
    title(svg, chart.title());
    for (double t : yTicks) {
      double y = top + plotH - t / yMax * plotH;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>",
              left,
              y,
              left + plotW,
              y,
              left - 6,
              y + 4,
              tickLabel(t, yTicks)));
    }
    for (double t : xTicks) {
      if (t < minX || t > maxX) {
        continue;
      }
      double x = left + (t - x0) / xSpan * plotW;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
              x,
              top + plotH + 16,
              tickLabel(t, xTicks)));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>",
            left,
            top + plotH,
            left + plotW,
            top + plotH,
            left,
            top,
            left,
            top + plotH));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"label\">%s</text>",
            left + plotW / 2,
            height - 8,
            escape(chart.xLabel())));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" class=\"label\""
                + " transform=\"rotate(-90 14 %d)\">%s</text>",
            top + plotH / 2,
            top + plotH / 2,
            escape(chart.yLabel())));
    for (int i = 0; i < chart.series().size(); i++) {
      Chart.Series s = chart.series().get(i);
      String color = PALETTE[i % PALETTE.length];
      List<String> points = new ArrayList<>();
      for (Chart.Point p : s.points()) {
        if (Double.isFinite(p.y())) {
          points.add(
              String.format(
                  Locale.ROOT,
                  "%.1f,%.1f",
                  left + (p.x() - x0) / xSpan * plotW,
                  top + plotH - p.y() / yMax * plotH));
        }
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>",
              String.join(" ", points),
              color));
      if (s.points().size() <= 80) {
        for (Chart.Point p : s.points()) {
          if (Double.isFinite(p.y())) {
            svg.append(
                String.format(
                    Locale.ROOT,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: x=%s,"
                        + " y=%s</title></circle>",
                    left + (p.x() - x0) / xSpan * plotW,
                    top + plotH - p.y() / yMax * plotH,
                    color,
                    escape(s.name()),
                    number(p.x()),
                    number(p.y())));
          }
        }
      }
      int ly = top + 10 + i * 18;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" class=\"label\">%s</text>",
              left + plotW + 14,
              ly - 4,
              color,
              left + plotW + 34,
              ly + 1,
              escape(s.name())));
    }
    return svg.append("</svg>").toString();
  }

  private static String gantt(Chart.Gantt chart) {
    int left = 60;
    int right = 20;
    int top = 34;
    int lane = chart.lanes() > 12 ? 12 : 18;
    int plotW = WIDTH + 200 - left - right;
    int height = top + lane * chart.lanes() + 60;
    double end = Math.max(chart.makespanMs(), chart.lowerBoundMs());
    for (Chart.GanttBar bar : chart.bars()) {
      end = Math.max(end, bar.endMs());
    }
    double scale = end > 0 ? plotW / end : 0;
    Map<String, String> colors = new LinkedHashMap<>();
    StringBuilder svg = open(WIDTH + 200, height, chart.title());
    title(svg, chart.title());
    for (int l = 0; l < chart.lanes(); l++) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"tick\">slot %d</text>",
              left - 6,
              top + l * lane + lane - 5,
              l + 1));
    }
    for (Chart.GanttBar bar : chart.bars()) {
      String color =
          colors.computeIfAbsent(bar.group(), g -> PALETTE[colors.size() % PALETTE.length]);
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\""
                  + " class=\"call\"><title>%s: %s..%s ms</title></rect>",
              left + bar.startMs() * scale,
              top + bar.lane() * lane + 1,
              Math.max(0.5, (bar.endMs() - bar.startMs()) * scale),
              lane - 2,
              color,
              escape(bar.label()),
              number(bar.startMs()),
              number(bar.endMs())));
    }
    int axisY = top + lane * chart.lanes();
    double[] timeTicks = ticks(0, end);
    for (double t : timeTicks) {
      if (t > end) {
        continue;
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"tick\">%s</text>",
              left + t * scale,
              axisY + 14,
              tickLabel(t, timeTicks)));
    }
    double lb = left + chart.lowerBoundMs() * scale;
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"marker\"><title>lower"
                + " bound %s ms</title></line>",
            lb,
            top - 4,
            lb,
            axisY,
            number(chart.lowerBoundMs())));
    int lx = left;
    int ly = axisY + 34;
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" class=\"note\">ms; dashed line: lower bound</text>",
            left + plotW - 180,
            ly));
    for (var e : colors.entrySet()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>",
              lx,
              ly - 9,
              e.getValue(),
              lx + 14,
              ly,
              escape(e.getKey())));
      lx += 70;
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(int width, int height, String label) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" role=\"img\" aria-label=\"%s\">",
            width,
            height,
            width,
            height,
            escape(label)));
  }

  private static void title(StringBuilder svg, String title) {
    svg.append("<text x=\"8\" y=\"20\" class=\"title\">").append(escape(title)).append("</text>");
  }

  /** Round tick values from {@code low} to at least {@code high}: 1, 2 or 5 times a power of 10. */
  static double[] ticks(double low, double high) {
    double span = high - low;
    if (!(span > 0)) {
      return new double[] {low};
    }
    double raw = span / 5;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = magnitude;
    for (double m : new double[] {1, 2, 5, 10}) {
      step = m * magnitude;
      if (step >= raw) {
        break;
      }
    }
    double first = Math.floor(low / step) * step;
    List<Double> ticks = new ArrayList<>();
    for (double t = first; t < high + step * 0.999; t += step) {
      ticks.add(t);
    }
    return ticks.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A tick's value with the decimals its step needs, no more. */
  static String tickLabel(double t, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(t);
    int decimals = step > 0 ? (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)) : 0;
    return String.format(Locale.ROOT, "%,." + Math.min(decimals, 6) + "f", t);
  }

  private static double finiteOrZero(double v) {
    return Double.isFinite(v) ? v : 0;
  }
}
