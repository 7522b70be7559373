package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.analysis.TraceReaders;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import dev.parallax.telemetry.ParallaxTelemetry;
import dev.parallax.telemetry.file.OtlpJsonFileSpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP-JSON trace files written by the real telemetry stack ({@link ParallaxTelemetry} with {@link
 * OtlpJsonFileSpanExporter}) and read back by {@code parallax analyze}: the graph is rebuilt from
 * {@code parallax.depends_on}, and every figure matches what ran.
 */
class OtlpTraceAnalysisTest {

  @TempDir Path dir;

  /**
   * Graphs run through the real executor in virtual time (the simulator), traced: the durations on
   * the spans are exact, so the critical path and lower bound read from the file must equal those
   * of the workloads that ran, and the recorded makespan those of the runs.
   */
  @Test
  void simulatedRuns_traced_analyseToTheFiguresOfWhatRan() throws Exception {
    Path trace = dir.resolve("simulated.jsonl");
    List<Workload> graphs = new HeterogeneousGraphs(5, 40, 80, 4).next(2);
    Duration makespans = Duration.ZERO;
    try (ParallaxTelemetry telemetry =
            ParallaxTelemetry.builder()
                .spanExporter(OtlpJsonFileSpanExporter.create(trace))
                .build();
        Simulator simulator =
            Simulator.builder()
                .slots(3)
                .executor(b -> b.openTelemetry(telemetry.openTelemetry()))
                .build()) {
      for (Workload graph : graphs) {
        makespans = makespans.plus(simulator.run(graph).makespan());
      }
    }

    Path json = dir.resolve("out.json");
    Cli r = Cli.run("analyze", trace.toString(), "--concurrency", "3", "--json", json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("(otlp, 2 runs, ");
    JsonNode in = JsonReport.MAPPER.readTree(json.toFile()).path("inputs").get(0);
    assertThat(in.path("format").asText()).isEqualTo("otlp");
    assertThat(in.path("runs").asInt()).isEqualTo(2);
    assertThat(in.path("tasks").asInt()).isEqualTo(graphs.get(0).size() + graphs.get(1).size());
    assertThat(in.path("critical_path_s").asDouble())
        .isCloseTo(
            seconds(graphs, Workload::criticalPath), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(in.path("lower_bound_s").asDouble())
        .isCloseTo(
            seconds(graphs, w -> w.lowerBound(3)), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(in.path("recorded_makespan_s").asDouble())
        .isCloseTo(makespans.toNanos() / 1e9, org.assertj.core.data.Offset.offset(1e-9));
    // FIFO on the same slots replays the recorded (FIFO) runs exactly
    assertThat(in.path("simulated").path("fifo").asDouble())
        .isCloseTo(makespans.toNanos() / 1e9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(in.path("notes").toString()).contains("2 runs");
  }

  @Test
  void truncatedLastLine_ofACrashedWriter_isSkippedWithAWarning_andCounted() throws Exception {
    // the bug: analyze rejected the whole file for one truncated last line
    Path trace = dir.resolve("crashed.jsonl");
    List<Workload> graphs = new HeterogeneousGraphs(7, 20, 30, 3).next(1);
    try (ParallaxTelemetry telemetry =
            ParallaxTelemetry.builder()
                .spanExporter(OtlpJsonFileSpanExporter.create(trace))
                .build();
        Simulator simulator =
            Simulator.builder()
                .slots(2)
                .executor(b -> b.openTelemetry(telemetry.openTelemetry()))
                .build()) {
      simulator.run(graphs.getFirst());
    }
    List<String> lines = java.nio.file.Files.readAllLines(trace);
    String cut = lines.getLast().substring(0, lines.getLast().length() / 2);
    java.nio.file.Files.writeString(
        trace, cut, java.nio.file.StandardOpenOption.APPEND); // no line end: a crash mid-line

    Path json = dir.resolve("out.json");
    Cli r = Cli.run("analyze", trace.toString(), "--concurrency", "2", "--json", json.toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.errLines())
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("warning: " + trace + ":" + (lines.size() + 1) + ":")
                    .contains("cut short"));
    JsonNode in = JsonReport.MAPPER.readTree(json.toFile()).path("inputs").get(0);
    assertThat(in.path("truncated_lines").asInt()).isOne();
    assertThat(in.path("tasks").asInt()).isEqualTo(graphs.getFirst().size());
    assertThat(in.path("notes").toString()).contains("truncated last line");
  }

  /**
   * A real graph with real tools on virtual threads, one of which fails: its dependent is skipped
   * (its span says it never started, so it is no task), and the failure shows in the tool's success
   * rate.
   */
  @Test
  void realGraph_withAFailure_isAnalysed() throws Exception {
    Path trace = dir.resolve("real.jsonl");
    Tool<String, String> fetch =
        Tools.named("fetch")
            .input(String.class)
            .features(s -> Map.of("length", (double) s.length()))
            .function((s, ctx) -> s.toUpperCase(java.util.Locale.ROOT));
    Tool<String, String> broken =
        Tools.named("broken")
            .input(String.class)
            .function(
                (s, ctx) -> {
                  throw new IllegalStateException("down");
                });
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", fetch, "alpha"))
            .add(ToolCall.of("b", fetch, "beta"))
            .add(ToolCall.of("c", fetch, "gamma"), "a", "b")
            .add(ToolCall.of("d", broken, "delta"), "a")
            .add(ToolCall.of("e", fetch, "epsilon"), "d")
            .add(ToolCall.of("f", fetch, "zeta"), "c")
            .build();
    RunResult run;
    try (ParallaxTelemetry telemetry =
            ParallaxTelemetry.builder()
                .spanExporter(OtlpJsonFileSpanExporter.create(trace))
                .build();
        ToolExecutor executor =
            ToolExecutor.builder().openTelemetry(telemetry.openTelemetry()).build()) {
      run = executor.executeGraph(graph);
    }
    assertThat(run.report().count(CallStatus.SKIPPED)).isEqualTo(1);

    Path json = dir.resolve("real.json");
    Cli r = Cli.run("analyze", trace.toString(), "--json", json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    JsonNode in = JsonReport.MAPPER.readTree(json.toFile()).path("inputs").get(0);
    assertThat(in.path("runs").asInt()).isEqualTo(1);
    assertThat(in.path("tasks").asInt()).isEqualTo(5); // e was skipped: it never started
    Map<String, JsonNode> tools = new HashMap<>();
    in.path("tools").forEach(t -> tools.put(t.path("tool").asText(), t));
    assertThat(tools.get("fetch").path("count").asInt()).isEqualTo(4);
    assertThat(tools.get("fetch").path("success_rate").asDouble()).isEqualTo(1.0);
    assertThat(tools.get("broken").path("success_rate").asDouble()).isEqualTo(0.0);
    TracedWorkflow read = TraceReaders.otlp().read(trace);
    assertThat(read.tasks())
        .filteredOn(t -> t.id().equals("b"))
        .singleElement()
        .satisfies(t -> assertThat(t.features()).containsEntry("length", 4.0));
    List<String> path = new ArrayList<>();
    in.path("critical_path_tasks").forEach(t -> path.add(t.asText()));
    assertThat(path).isNotEmpty();
    for (int i = 1; i < path.size(); i++) {
      String from = path.get(i - 1);
      String to = path.get(i);
      assertThat(
              graph.nodes().stream()
                  .filter(n -> n.call().id().equals(to))
                  .findFirst()
                  .orElseThrow()
                  .dependsOn())
          .as(from + " -> " + to)
          .contains(from);
    }
  }

  private static double seconds(
      List<Workload> graphs, java.util.function.Function<Workload, Duration> figure) {
    return graphs.stream().map(figure).mapToLong(Duration::toNanos).sum() / 1e9;
  }
}
