package dev.parallax.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.planner.sim.HeterogeneousGraphs;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Simulator;
import dev.parallax.planner.sim.Workload;
import dev.parallax.telemetry.ParallaxTelemetry;
import dev.parallax.telemetry.file.OtlpJsonFileSpanExporter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP-JSON trace files written by the real telemetry stack ({@link ParallaxTelemetry} with {@link
 * OtlpJsonFileSpanExporter}) and read back by {@link TraceReaders#otlp()}. Moved from the samples'
 * {@code OtlpTraceAnalysisTest}, which keeps the command-line cases.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpTraceReaderTest {

  @TempDir Path dir;

  @Test
  void traceReader_rebuildsEachRunsGraphFromDependsOn() throws Exception {
    Path trace = dir.resolve("graph.jsonl");
    List<Workload> graphs = new HeterogeneousGraphs(9, 20, 30, 3).next(1);
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
    TracedWorkflow read = TraceReaders.otlp().read(trace);
    Map<String, SimulatedCall> byId = new HashMap<>();
    read.tasks().forEach(c -> byId.put(c.id(), c));
    for (SimulatedCall original : graphs.getFirst().calls()) {
      SimulatedCall back = byId.get(original.id());
      assertThat(back).as(original.id()).isNotNull();
      assertThat(back.tool()).isEqualTo(original.tool());
      assertThat(back.dependsOn()).containsExactlyInAnyOrderElementsOf(original.dependsOn());
      assertThat(back.duration()).isEqualTo(original.duration());
      // no features: core puts parallax.feature.* on spans in Attempt.runHere, which the
      // simulator's runner never calls (the real-graph test below checks features)
    }
  }

  @Test
  void detect_tellsOtlpFromContent() throws Exception {
    Path trace = dir.resolve("detected.jsonl");
    try (ParallaxTelemetry telemetry =
            ParallaxTelemetry.builder()
                .spanExporter(OtlpJsonFileSpanExporter.create(trace))
                .build();
        Simulator simulator =
            Simulator.builder()
                .slots(2)
                .executor(b -> b.openTelemetry(telemetry.openTelemetry()))
                .build()) {
      simulator.run(new HeterogeneousGraphs(3, 10, 20, 2).next(1).getFirst());
    }
    assertThat(TraceReaders.detect(trace)).isSameAs(TraceReaders.otlp());
    TracedWorkflow read = TraceReaders.read(trace);
    assertThat(read.format()).isEqualTo(InputFormat.OTLP);
    assertThat(read.runs()).hasSize(1);
  }
}
