package dev.parallax.samples.bench.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.samples.bench.model.BenchReport;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.Machine;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportWritersTest {

  private static BenchReport report(String policy, Object field, Chart chart) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("odd", field);
    WorkloadResult result =
        new WorkloadResult(
            "w<1>",
            Map.of(policy, PolicyFigures.builder().makespanMs(12).lowerBoundMs(10).build()),
            fields,
            List.of(chart));
    return new BenchReport(
        1,
        true,
        new Machine(2, "21", "vm", "os", "arch", 512),
        Map.of(result.name(), result),
        Map.of(result.name(), 0.5));
  }

  @Test
  void html_escapesEveryName() {
    String evil = "<script>alert('x')</script>&";
    String html =
        HtmlReport.render(
            report(
                evil,
                evil,
                new Chart.Gantt(
                    evil, 1, 10, 8, List.of(new Chart.GanttBar(0, 0, 10, evil, evil)))));
    assertThat(html).doesNotContain("<script").doesNotContain("alert('x')");
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
    assertThat(html).contains("w&lt;1&gt;");
  }

  @Test
  void json_unsetFiguresAndNonFiniteNumbersAreNull() {
    JsonNode json =
        JsonReport.toJson(
            report(
                "p",
                Map.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "one", 1.0),
                new Chart.Bars("t", "ms", List.of(new Chart.Bar("a", 1)))));
    JsonNode policy = json.path("workloads").path("w<1>").path("policies").path("p");
    assertThat(policy.path("makespan_ms").asDouble()).isEqualTo(12.0);
    assertThat(policy.path("success_rate").isNull()).isTrue();
    assertThat(policy.path("tool_executions").isNull()).isTrue();
    JsonNode odd = json.path("workloads").path("w<1>").path("odd");
    assertThat(odd.path("nan").isNull()).isTrue();
    assertThat(odd.path("inf").isNull()).isTrue();
    assertThat(odd.path("one").asDouble()).isEqualTo(1.0);
  }

  @Test
  void ticks_areRoundAndCoverTheRange() {
    assertThat(Svg.ticks(0, 2288)).containsExactly(0, 500, 1000, 1500, 2000, 2500);
    assertThat(Svg.tickLabel(0.2, new double[] {0, 0.2})).isEqualTo("0.2");
    assertThat(Svg.tickLabel(1000, new double[] {0, 500})).isEqualTo("1,000");
  }
}
