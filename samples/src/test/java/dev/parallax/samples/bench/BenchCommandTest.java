package dev.parallax.samples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.samples.cli.ParallaxCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parallax bench} end to end, at {@code --quick} sizes. Only the structure of the output and
 * sanity properties that hold whatever the machine's speed are checked, never timings.
 */
class BenchCommandTest {

  private static final List<String> POLICY_FIGURES =
      List.of(
          "makespan_ms",
          "lower_bound_ms",
          "success_rate",
          "p95_ms",
          "tool_executions",
          "cache_hits",
          "throughput_per_s");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  /** One quick run of every workload, shared by the tests that read its output. */
  private static Cli all;

  private static JsonNode report;

  record Cli(int status, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
    }
  }

  static Cli bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    int status =
        ParallaxCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Cli(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void runEveryWorkloadOnce() throws IOException {
    Path json = dir.resolve("bench.json");
    all =
        bench(
            "--quick",
            "--seed",
            "7",
            "--json",
            json.toString(),
            "--html",
            dir.resolve("bench.html").toString());
    assertThat(all.status()).as(all.err()).isZero();
    report = JSON.readTree(json.toFile());
  }

  @Test
  void everyWorkload_writesTheContractNames() {
    assertThat(report.path("seed").asLong()).isEqualTo(7);
    assertThat(report.path("cores").asInt()).isPositive();
    assertThat(report.path("java_version").asText()).isNotEmpty();
    JsonNode workloads = report.path("workloads");
    assertThat(fieldNames(workloads))
        .containsExactly(
            "overhead",
            "seed",
            "graphs",
            "capacity",
            "flaky",
            "hedging",
            "learning",
            "multitenant",
            "preload",
            "cluster");
    Map<String, List<String>> policies =
        Map.of(
            "overhead", List.of("virtual_threads", "parallax", "parallax_telemetry"),
            "graphs", List.of("fifo", "ewma_priority", "learned", "oracle"),
            "capacity", List.of("adaptive", "static_best", "vegas", "gradient2", "aimd"),
            "flaky", List.of("no_fallback", "fallback"),
            "hedging", List.of("none", "fixed_delay", "predicted"),
            "multitenant", List.of("interactive_alone", "shared_fifo", "shared_priority"),
            "preload", List.of("cache_only", "preload"));
    for (String workload : fieldNames(workloads)) {
      JsonNode w = workloads.path(workload);
      assertThat(w.path("policies").isObject()).as(workload).isTrue();
      assertThat(w.path("policies").size()).as(workload).isPositive();
      if (policies.containsKey(workload)) {
        assertThat(fieldNames(w.path("policies")))
            .as(workload)
            .containsExactlyElementsOf(policies.get(workload));
      }
      for (String policy : fieldNames(w.path("policies"))) {
        JsonNode figures = w.path("policies").path(policy);
        assertThat(fieldNames(figures))
            .as(workload + "/" + policy)
            .containsExactlyElementsOf(POLICY_FIGURES);
        for (String figure : POLICY_FIGURES) {
          JsonNode value = figures.path(figure);
          assertThat(value.isNull() || value.isNumber())
              .as(workload + "/" + policy + "/" + figure)
              .isTrue();
        }
      }
    }
  }

  @Test
  void overhead_ratiosAgainstTheBareFanOut() {
    JsonNode w = report.path("workloads").path("overhead");
    assertThat(w.path("ratio_vs_virtual_threads").path("parallax").asDouble()).isPositive();
    assertThat(w.path("ratio_vs_virtual_threads").path("parallax_telemetry").asDouble())
        .isPositive();
    assertThat(w.path("telemetry_records_received").asLong())
        .as("every traced call became a record")
        .isEqualTo(w.path("telemetry_calls_made").asLong());
    for (String policy : List.of("virtual_threads", "parallax", "parallax_telemetry")) {
      assertThat(w.path("policies").path(policy).path("success_rate").asDouble()).isEqualTo(1.0);
    }
  }

  @Test
  void overhead_medianAndMinMaxOfAtLeastFiveRepeats_perNumberOfCalls() {
    JsonNode w = report.path("workloads").path("overhead");
    assertThat(w.path("repeats").asInt()).isGreaterThanOrEqualTo(5);
    assertThat(fieldNames(w.path("by_calls"))).containsExactly("10", "100");
    for (String variant : List.of("parallax", "parallax_telemetry")) {
      double median = w.path("ratio_vs_virtual_threads").path(variant).asDouble();
      double min = w.path("ratio_vs_virtual_threads_min").path(variant).asDouble();
      double max = w.path("ratio_vs_virtual_threads_max").path(variant).asDouble();
      assertThat(min).as(variant).isPositive().isLessThanOrEqualTo(median);
      assertThat(max).as(variant).isGreaterThanOrEqualTo(median);
      JsonNode headline = w.path("by_calls").path(w.path("calls_per_fan_out").asText());
      assertThat(headline.path(variant).path("median").asDouble()).isEqualTo(median);
      for (String n : fieldNames(w.path("by_calls"))) {
        JsonNode spread = w.path("by_calls").path(n).path(variant);
        assertThat(fieldNames(spread)).containsExactly("median", "min", "max", "repeats");
        assertThat(spread.path("repeats").size()).isEqualTo(w.path("repeats").asInt());
        assertThat(spread.path("min").asDouble())
            .isLessThanOrEqualTo(spread.path("median").asDouble());
        assertThat(spread.path("max").asDouble())
            .isGreaterThanOrEqualTo(spread.path("median").asDouble());
      }
    }
    for (String n : fieldNames(w.path("by_calls"))) {
      for (String variant : List.of("virtual_threads", "parallax", "parallax_telemetry")) {
        assertThat(w.path("by_calls").path(n).path(variant + "_us_per_call").asDouble())
            .as(n + "/" + variant)
            .isPositive();
      }
    }
    assertThat(w.path("telemetry_spans_exported").asLong())
        .as("the batch processor dropped no span: one per call, plus the runs' own")
        .isGreaterThanOrEqualTo(w.path("telemetry_calls_made").asLong());
  }

  @Test
  void overhead_summaryPrintsEachNumberOfCallsWithItsSpread() {
    assertThat(all.out())
        .containsPattern("(?m)^    10: parallax: [0-9.]+ \\[[0-9.]+\\.\\.[0-9.]+\\]")
        .containsPattern("(?m)^    100: parallax: ");
  }

  @Test
  void seed_figuresAndTheLimitsHeld() {
    JsonNode w = report.path("workloads").path("seed");
    assertThat(w.path("speedup_4x100ms").asDouble()).isPositive();
    assertThat(fieldNames(w.path("limit_durations"))).containsExactly("2", "5", "10");
    assertThat(w.path("fast_batch_parallel_over_sequential").asDouble()).isPositive();
    JsonNode peaks = w.path("peak_running");
    assertThat(peaks.path("sequential").asInt()).isEqualTo(1);
    for (int limit : new int[] {2, 5, 10}) {
      assertThat(peaks.path("limit_" + limit).asInt()).isBetween(1, limit);
    }
  }

  @Test
  void graphs_noScheduleBeatsTheLowerBound_andGanttDataIsThere() {
    JsonNode w = report.path("workloads").path("graphs");
    for (String policy : fieldNames(w.path("policies"))) {
      JsonNode f = w.path("policies").path(policy);
      assertThat(f.path("makespan_ms").asDouble())
          .as(policy)
          .isGreaterThanOrEqualTo(f.path("lower_bound_ms").asDouble() * (1 - 1e-9));
      assertThat(f.path("success_rate").asDouble()).isEqualTo(1.0);
    }
    assertThat(fieldNames(w.path("gantt").path("schedules")))
        .containsExactly("fifo", "ewma_priority", "learned", "oracle");
  }

  @Test
  void capacity_throughputOfEveryPolicy() {
    JsonNode w = report.path("workloads").path("capacity");
    for (String backend : List.of("http", "queue")) {
      JsonNode policies = w.path("backends").path(backend).path("policies");
      for (String policy : List.of("adaptive", "static_best", "vegas", "gradient2", "aimd")) {
        JsonNode f = policies.path(policy);
        assertThat(f.path("throughput_per_s").isNumber()).as(backend + " " + policy).isTrue();
        // the contract's figure is the median of the repeats, reported with their spread
        assertThat(f.path("throughput_spread").path("median").asDouble())
            .as(backend + " " + policy)
            .isEqualTo(f.path("throughput_per_s").asDouble());
        assertThat(f.path("success_rate").asDouble())
            .as(backend + " " + policy)
            .isBetween(0.0, 1.0);
      }
      assertThat(w.path("backends").path(backend).path("score").asText()).contains("goodput");
      assertThat(policies.path("static_best").path("parameters").path("limit").asInt())
          .as(backend)
          .isPositive();
    }
  }

  @Test
  void flaky_fallbackRescuesEveryFailedCall() {
    JsonNode w = report.path("workloads").path("flaky");
    assertThat(w.path("policies").path("no_fallback").path("success_rate").asDouble())
        .isLessThan(1.0);
    assertThat(w.path("policies").path("fallback").path("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(w.path("fallbacks").path("fallback").asLong()).isPositive();
    assertThat(w.path("policies").path("fallback").path("tool_executions").asLong())
        .isGreaterThan(w.path("policies").path("no_fallback").path("tool_executions").asLong());
  }

  @Test
  void hedging_contractNames_andTheBudgetHolds() {
    JsonNode w = report.path("workloads").path("hedging");
    JsonNode p99 = w.path("p99_ms");
    for (String policy : List.of("none", "fixed_delay", "predicted")) {
      assertThat(p99.path(policy).isNumber()).as(policy).isTrue();
      assertThat(p99.path(policy).asDouble()).as(policy).isPositive();
    }
    // the bucket starts empty: never more hedges than 10% of the calls, even on a smoke run
    assertThat(w.path("extra_calls_share").asDouble()).isBetween(0.0, 0.1);
    assertThat(p99.path("predicted").asDouble()).isLessThan(p99.path("none").asDouble());
    assertThat(w.path("fixed_delay_sweep").size()).isGreaterThan(1);
    assertThat(w.path("goals_met").isBoolean()).isTrue();
    // the second case: four tools whose medians differ, the same budget and policies
    JsonNode mixed = w.path("mixed");
    for (String policy : List.of("none", "fixed_delay", "predicted")) {
      assertThat(mixed.path("p99_slowdown").path(policy).asDouble()).as(policy).isPositive();
      assertThat(mixed.path("extra_calls_share").path(policy).asDouble())
          .as(policy)
          .isBetween(0.0, 0.1);
    }
    assertThat(mixed.path("fixed_delay_sweep").size()).isGreaterThan(1);
    assertThat(mixed.path("p99_ms_by_tool").path("predicted").size()).isEqualTo(4);
  }

  @Test
  void multitenant_contractNamesAndGoals() {
    JsonNode w = report.path("workloads").path("multitenant");
    JsonNode p95 = w.path("interactive_p95_ms");
    for (String scenario : List.of("alone", "shared_fifo", "shared_priority")) {
      assertThat(p95.path(scenario).asDouble()).as(scenario).isPositive();
    }
    assertThat(p95.path("shared_priority").asDouble())
        .isLessThanOrEqualTo(1.25 * p95.path("alone").asDouble())
        .isLessThan(p95.path("shared_fifo").asDouble());
    assertThat(w.path("utilization").asDouble()).isBetween(0.95, 1.0);
    assertThat(w.path("resource_overallocations").isNumber()).isTrue();
    assertThat(w.path("resource_overallocations").asLong()).isZero();
    assertThat(w.path("lowest_priority_max_wait_ms").asDouble()).isPositive();
  }

  @Test
  void learning_errorsAndAuc() {
    JsonNode w = report.path("workloads").path("learning");
    for (String dataset : List.of("in_class", "nonlinear", "drift", "noise")) {
      JsonNode d = w.path("datasets").path(dataset);
      assertThat(d.path("mae_log_latency").path("model").isNumber()).as(dataset).isTrue();
      assertThat(d.path("mae_log_latency").path("per_tool_mean").isNumber()).as(dataset).isTrue();
      assertThat(d.path("model_used_share").asDouble(-1)).as(dataset).isBetween(0.0, 1.0);
      assertThat(d.path("gain").path("rows").asInt()).as(dataset).isPositive();
    }
    assertThat(w.path("datasets").path("drift").path("records_to_follow").isInt()).isTrue();
    assertThat(w.path("auc_success").asDouble()).isBetween(0.0, 1.0);
    assertThat(w.path("auc").path("no_skill_baseline").asDouble()).isEqualTo(0.5);
    assertThat(w.path("mae_over_time").size()).isPositive();
    JsonNode real = w.path("datasets").path("real");
    assertThat(real.path("mae_log_latency").path("model").isNumber()).as(real.toString()).isTrue();
    assertThat(real.path("mae_log_latency").path("per_tool_mean").isNumber()).isTrue();
    assertThat(real.path("model_used_share").asDouble()).isBetween(0.0, 1.0);
    assertThat(real.path("ratio_interval")).hasSize(2);
    assertThat(real.path("rows").asInt()).isPositive();
  }

  @Test
  void html_hasTheCharts_andNothingFromTheWeb() throws IOException {
    String html = Files.readString(dir.resolve("bench.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").doesNotContain("<script");
    // the capacity workload's backend is named "http": look for addresses, not the word
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(count(html, "<svg")).isGreaterThanOrEqualTo(4 + 6);
    assertThat(html)
        .contains("fifo: graph")
        .contains("learned: graph")
        .contains("prediction error over time")
        .contains("makespan by policy");
  }

  @Test
  void progress_onStderr_andTheSummaryOnStdout() {
    assertThat(all.errLines()).allMatch(line -> line.startsWith("bench: "), "progress lines only");
    assertThat(all.err())
        .contains(
            "[7/10] learning done in",
            "[8/10] multitenant done in",
            "[9/10] preload done in",
            "[10/10] cluster done in");
    assertThat(all.out()).contains("== graphs").contains("JSON written to");
  }

  @Test
  void namedWorkloads_runAlone_inRunOrder() throws IOException {
    Path json = dir.resolve("two.json");
    Cli cli = bench("--quick", "-w", "learning", "--workload", "flaky", "--json", json.toString());
    assertThat(cli.status()).as(cli.err()).isZero();
    assertThat(fieldNames(JSON.readTree(json.toFile()).path("workloads")))
        .containsExactly("flaky", "learning");
  }

  @Test
  void unknownWorkload_exits2_withOneLineAndNoStackTrace() {
    Cli cli = bench("--workload", "nope");
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.err())
        .contains("unknown workload 'nope'")
        .contains("overhead")
        .doesNotContain("\tat ");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void unwritableJsonPath_exits2_beforeRunningAnything() {
    Cli cli = bench("--quick", "--json", dir.resolve("missing-dir/bench.json").toString());
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.err()).contains("--json").contains("does not exist");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void jsonPathIsADirectory_exits2() {
    Cli cli = bench("--quick", "--json", dir.toString());
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.err()).contains("is a directory");
  }

  @Test
  void malformedOption_exits2_withOneLine() {
    Cli cli = bench("--seed", "abc");
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.err()).contains("--seed").contains("abc");

    Cli unknown = bench("--frobnicate");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.errLines()).hasSize(1);
    assertThat(unknown.err()).contains("--frobnicate");
  }

  @Test
  void graphsBelowOne_exits2() {
    Cli cli = bench("--graphs", "0", "-w", "graphs");
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.err()).contains("--graphs must be at least 1, was 0");
  }

  @Test
  void verbose_addsTheStackTrace() {
    Cli cli = bench("--verbose", "--workload", "nope");
    assertThat(cli.status()).isEqualTo(2);
    assertThat(cli.err()).contains("unknown workload 'nope'").contains("\tat ");
  }

  @Test
  void help_namesEveryWorkloadAndOption() {
    Cli cli = bench("--help");
    assertThat(cli.status()).isZero();
    assertThat(cli.out())
        .contains("Usage: parallax bench")
        .contains("--workload")
        .contains("--seed")
        .contains("--json")
        .contains("--html")
        .contains("--quick");
    for (String workload :
        List.of(
            "overhead",
            "seed",
            "graphs",
            "capacity",
            "flaky",
            "hedging",
            "learning",
            "multitenant",
            "preload",
            "cluster")) {
      assertThat(cli.out()).contains(workload);
    }
  }

  @Test
  void preload_writesItsFiguresAsShares() {
    JsonNode w = report.path("workloads").path("preload");
    for (String figure : List.of("hit_rate", "wait_saved_share", "wasted_share")) {
      assertThat(w.path(figure).isNumber()).as(figure).isTrue();
      assertThat(w.path(figure).asDouble()).as(figure).isBetween(0.0, 1.0);
    }
    assertThat(w.path("held_out").path("calls").asLong()).isPositive();
    assertThat(w.path("rules").isArray()).isTrue();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
