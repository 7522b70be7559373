package dev.parallax.telemetry.file;

import static dev.parallax.telemetry.file.OtlpLines.attr;
import static dev.parallax.telemetry.file.OtlpLines.attributes;
import static dev.parallax.telemetry.file.OtlpLines.file;
import static dev.parallax.telemetry.file.OtlpLines.request;
import static dev.parallax.telemetry.file.OtlpLines.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanGraphTest {

  private static final String TOOL_OP = attr("gen_ai.operation.name", "execute_tool");

  @TempDir Path dir;

  private final Tool<Integer, Integer> add1 =
      Tools.named("add1").input(Integer.class).function((in, ctx) -> in + 1);
  private final Tool<Integer, Integer> boom =
      Tools.named("boom")
          .input(Integer.class)
          .function(
              (in, ctx) -> {
                throw new ArithmeticException("boom");
              });

  @Test
  void graphRun_callsAreChildrenOfTheRunSpan_whichIsAChildOfTheCallersSpan() {
    Path path = dir.resolve("graph.jsonl");
    RunResult run;
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path))) {
      Span caller = otel.sdk.getTracer("agent").spanBuilder("agent-turn").startSpan();
      Scope scope = caller.makeCurrent();
      try (ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel.sdk).build()) {
        run =
            executor.executeGraph(
                CallGraph.builder()
                    .add(ToolCall.of("n", add1, 1))
                    .add(
                        ToolCall.derived("n+1", add1, deps -> (Integer) deps.get("n").value()), "n")
                    .add(
                        ToolCall.derived("n+2", add1, deps -> (Integer) deps.get("n+1").value()),
                        "n+1")
                    .add(ToolCall.of("bad", boom, 0))
                    .add(ToolCall.derived("after-bad", add1, deps -> 0), "bad", "n")
                    .build());
      } finally {
        scope.close();
        caller.end();
      }
    }
    assertThat(run.get("after-bad").status()).isEqualTo(CallStatus.SKIPPED);

    TraceFile file = TraceFileReader.readStrict(path);
    SpanGraph graph = file.graph();

    TraceSpan caller = graph.roots().getFirst();
    assertThat(graph.roots()).containsExactly(caller);
    assertThat(caller.name()).isEqualTo("agent-turn");
    TraceSpan runSpan = graph.children(caller).getFirst();
    assertThat(graph.children(caller)).containsExactly(runSpan);
    assertThat(runSpan.isRun()).isTrue();
    assertThat(graph.parent(runSpan)).contains(caller);
    List<TraceSpan> calls = graph.children(runSpan);
    assertThat(calls)
        .as("every call, dependents and the skipped one too, hangs under the run span")
        .extracting(s -> s.record().callId())
        .containsExactlyInAnyOrder("n", "n+1", "n+2", "bad", "after-bad");
    assertThat(calls).allSatisfy(c -> assertThat(graph.parent(c)).contains(runSpan));
    assertThat(calls).allSatisfy(c -> assertThat(graph.children(c)).isEmpty());

    TraceRun traceRun = file.runs().getFirst();
    assertThat(file.runs()).containsExactly(traceRun);
    assertThat(traceRun.runId()).isEqualTo(run.runId());
    assertThat(traceRun.span()).isEqualTo(runSpan);
    assertThat(traceRun.calls()).containsExactlyInAnyOrderElementsOf(calls);
    assertThat(traceRun.records())
        .extracting(ExecutionRecord::callId, ExecutionRecord::status)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("n", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("n+1", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("n+2", CallStatus.SUCCEEDED),
            org.assertj.core.groups.Tuple.tuple("bad", CallStatus.FAILED),
            org.assertj.core.groups.Tuple.tuple("after-bad", CallStatus.SKIPPED));
    assertThat(graph.find(runSpan.traceId(), runSpan.spanId())).contains(runSpan);
  }

  @Test
  void twoRunsInOneFile_areTwoRuns_eachWithItsOwnCalls() {
    Path path = dir.resolve("two.jsonl");
    RunResult first;
    RunResult second;
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path));
        ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel.sdk).build()) {
      first =
          executor.executeParallel(List.of(ToolCall.of("a", add1, 1), ToolCall.of("b", add1, 2)));
      second = executor.executeBatch(add1, List.of(10, 20, 30));
    }

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.runs()).hasSize(2);
    assertThat(file.runs())
        .extracting(TraceRun::runId)
        .containsExactlyInAnyOrder(first.runId(), second.runId());
    TraceRun one =
        file.runs().stream().filter(r -> r.runId().equals(first.runId())).findFirst().orElseThrow();
    TraceRun two =
        file.runs().stream()
            .filter(r -> r.runId().equals(second.runId()))
            .findFirst()
            .orElseThrow();
    assertThat(one.records())
        .extracting(ExecutionRecord::callId)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(two.records())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.runId()).isEqualTo(second.runId()));
    assertThat(one.traceId())
        .as("separate runs without a caller span: separate traces")
        .isNotEqualTo(two.traceId());
  }

  @Test
  void callsWithoutARunId_joinTheRunSpanTheyHangUnder() throws Exception {
    Path path =
        write(
            request(
                span(
                    "00000000000000a0",
                    "",
                    "parallax.run",
                    attributes(attr("parallax.run.id", "run-7"))),
                span("00000000000000a1", "00000000000000a0", "execute_tool x", attributes(TOOL_OP)),
                span(
                    "00000000000000a2",
                    "00000000000000a0",
                    "execute_tool y",
                    attributes(TOOL_OP))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.records()).extracting(ExecutionRecord::runId).containsOnly("");
    TraceRun run = file.runs().getFirst();
    assertThat(file.runs()).containsExactly(run);
    assertThat(run.runId()).as("from the run span").isEqualTo("run-7");
    assertThat(run.span()).isNotNull().extracting(TraceSpan::spanId).isEqualTo("00000000000000a0");
    assertThat(run.records()).extracting(ExecutionRecord::tool).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void callsWithNeitherRunIdNorRunSpan_areGroupedByTheirParentSpan() throws Exception {
    Path path =
        write(
            request(
                span("00000000000000b0", "", "agent step 1", ""),
                span("00000000000000c0", "", "agent step 2", ""),
                span("00000000000000b1", "00000000000000b0", "execute_tool x", attributes(TOOL_OP)),
                span("00000000000000b2", "00000000000000b0", "execute_tool y", attributes(TOOL_OP)),
                span("00000000000000c1", "00000000000000c0", "execute_tool z", attributes(TOOL_OP)),
                // its parent is not in the file: a root here, grouped with the other orphans of
                // that parent
                span(
                    "00000000000000d1",
                    "00000000000000ff",
                    "execute_tool w",
                    attributes(TOOL_OP))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.runs())
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.runId()).isEmpty();
              assertThat(r.span()).isNull();
            });
    assertThat(file.runs())
        .extracting(r -> r.records().stream().map(ExecutionRecord::tool).sorted().toList())
        .containsExactlyInAnyOrder(List.of("x", "y"), List.of("z"), List.of("w"));
    TraceSpan orphan = file.graph().find(OtlpLines.TRACE, "00000000000000d1").orElseThrow();
    assertThat(file.graph().roots()).contains(orphan);
    assertThat(file.graph().parent(orphan)).isEmpty();
  }

  @Test
  void aRunSpanWithoutARunId_stillGathersItsChildren() throws Exception {
    Path path =
        write(
            request(
                span("00000000000000e0", "", "parallax.run", ""),
                span(
                    "00000000000000e1",
                    "00000000000000e0",
                    "execute_tool x",
                    attributes(TOOL_OP))));

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(file.runs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.runId()).isEmpty();
              assertThat(r.span()).isNotNull();
              assertThat(r.records()).extracting(ExecutionRecord::tool).containsExactly("x");
            });
  }

  @Test
  void aRunSpanAndItsCalls_inDifferentLines_areOneRun() throws Exception {
    Path path =
        write(
            request(
                span(
                    "00000000000000f1",
                    "00000000000000f0",
                    "execute_tool x",
                    attributes(TOOL_OP, attr("parallax.run.id", "run-9")))),
            request(
                span(
                    "00000000000000f0",
                    "",
                    "parallax.run",
                    attributes(attr("parallax.run.id", "run-9")))));

    TraceFile file = TraceFileReader.readStrict(path);

    TraceSpan runSpan = file.graph().find(OtlpLines.TRACE, "00000000000000f0").orElseThrow();
    assertThat(file.graph().children(runSpan))
        .extracting(TraceSpan::spanId)
        .containsExactly("00000000000000f1");
    assertThat(file.runs())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.span()).isEqualTo(runSpan);
              assertThat(r.calls()).hasSize(1);
            });
  }

  private Path write(String... lines) throws Exception {
    Path path = dir.resolve("graph.jsonl");
    Files.writeString(path, file(lines));
    return path;
  }
}
