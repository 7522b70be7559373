package dev.parallax.samples.analyze;

import com.google.common.html.HtmlEscapers;
import dev.parallax.analysis.FeatureSet;
import dev.parallax.analysis.InputAnalysis;
import dev.parallax.analysis.ModelScore;
import dev.parallax.analysis.ToolStats;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The analysis as one self-contained HTML page (inline CSS and SVG, no scripts, no external
 * resources): per input, the makespans as bars (recorded, FIFO, learned, oracle, lower bound), the
 * critical path as a timeline, the model's score and the per-tool table. All text from the inputs
 * is escaped. Stateless.
 */
final class HtmlReport {

  private static final int BAR_WIDTH = 560;
  private static final int LABEL_WIDTH = 110;
  private static final String[] PATH_COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1"};

  private HtmlReport() {}

  /**
   * Writes the page for {@code analyses} to {@code file}.
   *
   * @throws IOException if it cannot be written
   */
  static void write(List<InputAnalysis> analyses, int slots, Path file) throws IOException {
    Files.writeString(file, render(analyses, slots), StandardCharsets.UTF_8);
  }

  /** Writes the page, saying under the title which features the model used. */
  static void write(List<InputAnalysis> analyses, int slots, FeatureSet features, Path file)
      throws IOException {
    String page =
        render(analyses, slots)
            .replaceFirst(
                "</h1>\n",
                "</h1>\n<p>Model features: "
                    + java.util.regex.Matcher.quoteReplacement(escape(features.description()))
                    + ".</p>\n");
    Files.writeString(file, page, StandardCharsets.UTF_8);
  }

  /** The page for {@code analyses}. */
  static String render(List<InputAnalysis> analyses, int slots) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>parallax analyze</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}\n")
        .append("table{border-collapse:collapse;margin:.5em 0}\n")
        .append("td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:right}\n")
        .append("td:first-child,th:first-child{text-align:left}\n")
        .append("section{margin-bottom:3em}\nsvg text{font-size:12px}\n.note{color:#666}\n")
        .append("</style></head><body>\n<h1>parallax analyze</h1>\n")
        .append("<p>Makespans simulated at concurrency ")
        .append(slots)
        .append(" with every task lasting its recorded runtime.</p>\n");
    for (InputAnalysis a : analyses) {
      section(h, a);
    }
    return h.append("</body></html>\n").toString();
  }

  private static void section(StringBuilder h, InputAnalysis a) {
    TracedWorkflow in = a.input();
    h.append("<section>\n<h2>")
        .append(escape(in.file()))
        .append("</h2>\n<p>")
        .append(escape(in.format().label()))
        .append(", ")
        .append(in.runs().size())
        .append(in.runs().size() == 1 ? " run, " : " runs, ")
        .append(in.size())
        .append(" tasks</p>\n");
    for (String note : in.notes()) {
      h.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
    }
    h.append("<h3>Makespan</h3>\n");
    List<Bar> bars = new ArrayList<>();
    if (a.recordedMakespan() != null) {
      bars.add(new Bar("recorded", a.recordedMakespan(), "#9c9c9c"));
    }
    bars.add(new Bar("fifo", a.simulated().fifo(), "#e15759"));
    bars.add(new Bar("learned", a.simulated().learned(), "#4e79a7"));
    bars.add(new Bar("oracle", a.simulated().oracle(), "#59a14f"));
    bars.add(new Bar("lower bound", a.lowerBound(), "#333333"));
    bars(h, bars);
    criticalPath(h, a);
    ModelScore m = a.model();
    h.append("<h3>Latency model</h3>\n<p>Mean absolute error of log latency on ")
        .append(m.scoredTasks())
        .append(" scored tasks (trained on ")
        .append(m.trainingTasks())
        .append("): <b>")
        .append(Figures.number(m.maeLogLatency(), 3))
        .append("</b>, per-tool mean: <b>")
        .append(Figures.number(m.baselineMaeLogLatency(), 3))
        .append("</b>.");
    if (!m.note().isEmpty()) {
      h.append(" <span class=\"note\">").append(escape(m.note())).append("</span>");
    }
    h.append("</p>\n");
    tools(h, a.tools());
    h.append("</section>\n");
  }

  private record Bar(String label, @Nullable Duration value, String colour) {}

  private static void bars(StringBuilder h, List<Bar> bars) {
    long max = 1;
    for (Bar b : bars) {
      max = Math.max(max, b.value() == null ? 0 : b.value().toNanos());
    }
    int rowHeight = 24;
    int width = LABEL_WIDTH + BAR_WIDTH + 100;
    h.append(svgOpen(width, rowHeight * bars.size() + 6, "makespans"));
    int y = 4;
    for (Bar b : bars) {
      Duration value = b.value() == null ? Duration.ZERO : b.value();
      double w = Math.max(1, BAR_WIDTH * (double) value.toNanos() / max);
      h.append(text(0, y + 15, b.label()))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"><title>%s</title>"
                      + "</rect>",
                  LABEL_WIDTH,
                  y,
                  w,
                  b.colour(),
                  escape(b.label() + ": " + Figures.time(value))))
          .append(text(LABEL_WIDTH + w + 6, y + 15, Figures.time(value)))
          .append('\n');
      y += rowHeight;
    }
    h.append("</svg>\n");
  }

  private static void criticalPath(StringBuilder h, InputAnalysis a) {
    h.append("<h3>Critical path: ")
        .append(escape(Figures.time(a.criticalPathLength())))
        .append(", ")
        .append(a.criticalPath().size())
        .append(" tasks</h3>\n");
    long total = Math.max(1, a.criticalPathLength().toNanos());
    int width = LABEL_WIDTH + BAR_WIDTH + 100;
    h.append(svgOpen(width, 30, "critical path"));
    double x = LABEL_WIDTH;
    int i = 0;
    for (SimulatedCall task : a.criticalPath()) {
      double w = BAR_WIDTH * (double) task.duration().toNanos() / total;
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"20\" fill=\"%s\" stroke=\"#fff\">"
                  + "<title>%s</title></rect>",
              x,
              Math.max(0.5, w),
              PATH_COLOURS[i++ % PATH_COLOURS.length],
              escape(task.id() + " (" + task.tool() + "): " + Figures.time(task.duration()))));
      x += w;
    }
    h.append(text(0, 19, "start")).append(text(x + 6, 19, "end")).append("\n</svg>\n");
    h.append("<table><tr><th>#</th><th>task</th><th>tool</th><th>duration</th></tr>\n");
    i = 0;
    for (SimulatedCall task : a.criticalPath()) {
      h.append("<tr><td>")
          .append(++i)
          .append("</td><td>")
          .append(escape(task.id()))
          .append("</td><td>")
          .append(escape(task.tool()))
          .append("</td><td>")
          .append(escape(Figures.time(task.duration())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void tools(StringBuilder h, List<ToolStats> tools) {
    h.append("<h3>Tools</h3>\n<table><tr><th>tool</th><th>count</th><th>mean</th><th>p50</th>")
        .append("<th>p95</th><th>max</th><th>success</th></tr>\n");
    for (ToolStats t : tools) {
      h.append("<tr><td>")
          .append(escape(t.tool()))
          .append("</td><td>")
          .append(t.count())
          .append("</td><td>")
          .append(escape(Figures.time(t.meanSeconds())))
          .append("</td><td>")
          .append(escape(Figures.time(t.p50Seconds())))
          .append("</td><td>")
          .append(escape(Figures.time(t.p95Seconds())))
          .append("</td><td>")
          .append(escape(Figures.time(t.maxSeconds())))
          .append("</td><td>")
          .append(Figures.number(100 * t.successRate(), 1))
          .append("%</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static String svgOpen(int width, int height, String label) {
    return String.format(
        Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\""
            + " aria-label=\"%s\">\n",
        width,
        height,
        escape(label));
  }

  private static String text(double x, double y, String text) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x, y, escape(text));
  }

  /** {@code text} safe inside HTML elements and attribute values. */
  static String escape(String text) {
    return HtmlEscapers.htmlEscaper().escape(text);
  }
}
