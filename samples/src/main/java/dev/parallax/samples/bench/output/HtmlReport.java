package dev.parallax.samples.bench.output;

import static dev.parallax.samples.bench.output.Svg.escape;

import dev.parallax.samples.bench.model.BenchReport;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.Machine;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BenchReport} as one self-contained HTML page: per workload a table of the policies'
 * figures, the workload's own fields, a bar chart of makespan by policy (with the lower bound
 * marked) and the workload's charts (Gantt charts of one graph per scheduling policy, prediction
 * error over time, throughput of each fixed limit...). Inline CSS and SVG only: no script, nothing
 * fetched from the web.
 */
public final class HtmlReport {

  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2em;color:#222;\
      max-width:1100px}
      h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
      table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
      th,td{border:1px solid #ddd;padding:3px 8px;text-align:right}
      th:first-child,td:first-child{text-align:left}
      td.na{color:#aaa}.fields td{text-align:left}.muted{color:#666;font-size:.9em}
      svg{display:block;margin:1em 0;background:#fcfcfc;border:1px solid #eee}
      svg .title{font-size:13px;font-weight:600}svg .label{font-size:12px}
      svg .value,svg .tick,svg .note{font-size:11px;fill:#444}
      svg .grid{stroke:#eee}svg .axis{stroke:#999}
      svg .marker{stroke:#222;stroke-width:1.5;stroke-dasharray:4 3}
      svg .call{stroke:#fff;stroke-width:.3}
      """;

  private HtmlReport() {}

  /** The page. */
  public static String render(BenchReport report) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Parallax bench</title><style>")
        .append(CSS)
        .append("</style></head><body>\n");
    html.append("<h1>Parallax bench</h1>\n");
    Machine m = report.machine();
    html.append("<p class=\"muted\">")
        .append(
            escape(
                String.format(
                    Locale.ROOT,
                    "seed %d%s · %d cores · Java %s (%s) · %s %s · max heap %d MiB",
                    report.seed(),
                    report.quick() ? " · QUICK (smoke-test sizes, not figures to report)" : "",
                    m.cores(),
                    m.javaVersion(),
                    m.vm(),
                    m.os(),
                    m.arch(),
                    m.maxHeapMb())))
        .append(
            "</p>\n<p class=\"muted\">Every figure was measured in this run; a dash marks one"
                + " the workload does not measure. Ratios compare policies run one after another in"
                + " the same process on the same calls.</p>\n");
    for (WorkloadResult result : report.workloads().values()) {
      section(html, result, report.elapsedSeconds().get(result.name()));
    }
    return html.append("</body></html>\n").toString();
  }

  /** Writes the page to {@code file}, replacing it. */
  public static void write(BenchReport report, Path file) {
    try {
      Files.writeString(file, render(report));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void section(StringBuilder html, WorkloadResult result, @Nullable Double seconds) {
    html.append("<h2 id=\"").append(escape(result.name())).append("\">");
    html.append(escape(result.name())).append("</h2>\n");
    if (seconds != null) {
      html.append("<p class=\"muted\">")
          .append(escape(String.format(Locale.ROOT, "%.1f s of wall time", seconds)))
          .append("</p>\n");
    }
    policyTable(html, result.policies());
    fieldTable(html, result.fields());
    List<Chart.Bar> makespans = new ArrayList<>();
    result
        .policies()
        .forEach(
            (name, f) -> {
              if (f.makespanMs() != null) {
                makespans.add(
                    new Chart.Bar(
                        name,
                        f.makespanMs(),
                        f.lowerBoundMs() == null ? Double.NaN : f.lowerBoundMs()));
              }
            });
    if (!makespans.isEmpty()) {
      html.append(
              Svg.draw(
                  new Chart.Bars(
                      result.name() + ": makespan by policy", "ms", "lower bound", makespans)))
          .append('\n');
    }
    for (Chart chart : result.charts()) {
      html.append(Svg.draw(chart)).append('\n');
    }
  }

  private static void policyTable(StringBuilder html, Map<String, PolicyFigures> policies) {
    html.append("<table><tr><th>policy</th><th>makespan_ms</th><th>lower_bound_ms</th>")
        .append("<th>success_rate</th><th>p95_ms</th><th>tool_executions</th>")
        .append("<th>cache_hits</th><th>throughput_per_s</th></tr>\n");
    policies.forEach(
        (name, f) -> {
          html.append("<tr><td>").append(escape(name)).append("</td>");
          cell(html, f.makespanMs());
          cell(html, f.lowerBoundMs());
          cell(html, f.successRate());
          cell(html, f.p95Ms());
          cell(html, f.toolExecutions() == null ? null : f.toolExecutions().doubleValue());
          cell(html, f.cacheHits() == null ? null : f.cacheHits().doubleValue());
          cell(html, f.throughputPerS());
          html.append("</tr>\n");
        });
    html.append("</table>\n");
  }

  private static void cell(StringBuilder html, @Nullable Double value) {
    if (value == null || !Double.isFinite(value)) {
      html.append("<td class=\"na\">–</td>");
    } else {
      html.append("<td>").append(escape(Values.number(value))).append("</td>");
    }
  }

  private static void fieldTable(StringBuilder html, Map<String, Object> fields) {
    if (fields.isEmpty()) {
      return;
    }
    html.append("<table class=\"fields\">\n");
    fields.forEach(
        (name, value) ->
            html.append("<tr><td>")
                .append(escape(name))
                .append("</td><td>")
                .append(escape(Values.describe(value)))
                .append("</td></tr>\n"));
    html.append("</table>\n");
  }
}
