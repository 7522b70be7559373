package dev.parallax.telemetry.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real runs through the executor, traced by the real SDK into a file and into memory: the file
 * gives back exactly the records of the spans the SDK ended.
 */
class TraceFileRoundTripTest {

  @TempDir Path dir;

  private final Tool<String, String> echo =
      Tools.named("echo")
          .description("Says it back")
          .input(String.class)
          .function((in, ctx) -> in.toUpperCase(java.util.Locale.ROOT));
  private final Tool<String, String> failing =
      Tools.named("failing")
          .input(String.class)
          .function(
              (in, ctx) -> {
                throw new IllegalStateException("no " + in);
              });
  private final Tool<String, String> flaky =
      Tools.named("flaky")
          .idempotent(true)
          .input(String.class)
          .function(
              (in, ctx) -> {
                if (ctx.attempt() < 3) {
                  throw new IOException("try again");
                }
                return in;
              });

  enum Mode {
    PARALLEL,
    PARALLEL_ASYNC,
    SEQUENTIAL,
    GRAPH,
    BATCH
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void roundTrip_theFileGivesBackTheRecordsOfTheSpansTheSdkEnded(Mode mode) throws Exception {
    Path path = dir.resolve("run.jsonl");
    RunResult run;
    List<ExecutionRecord> expected;
    List<ExecutionRecord> engine = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TracingSdk otel = new TracingSdk(OtlpJsonFileSpanExporter.create(path))) {
      try (ToolExecutor executor =
          ToolExecutor.builder()
              .openTelemetry(otel.sdk)
              .recordSink(engine::add)
              .recordPayloadsOnSpans(true)
              .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build())
              .predictor(
                  call ->
                      new Prediction(
                          Duration.ofNanos(1_234_567), Duration.ofMillis(4), 0.75, "test-model"))
              .build()) {
        run = run(mode, executor);
      }
      expected = otel.records();
    }

    TraceFile file = TraceFileReader.readStrict(path);

    assertThat(expected).isNotEmpty();
    assertThat(file.records()).isEqualTo(expected);
    // every call has a span, those that never started (skipped, cancelled) too
    Map<String, CallStatus> ran =
        run.results().stream().collect(Collectors.toMap(CallResult::callId, CallResult::status));
    assertThat(file.records())
        .extracting(ExecutionRecord::callId, ExecutionRecord::status)
        .containsExactlyInAnyOrderElementsOf(
            ran.entrySet().stream()
                .map(e -> org.assertj.core.groups.Tuple.tuple(e.getKey(), e.getValue()))
                .toList());
    assertThat(file.records()).allSatisfy(r -> assertThat(r.runId()).isEqualTo(run.runId()));
    assertThat(file.records().stream().filter(r -> !r.neverStarted()))
        .allSatisfy(
            r -> {
              assertThat(r.predictionSource()).isEqualTo("test-model");
              assertThat(r.predictedLatency()).isEqualTo(Duration.ofNanos(1_234_567));
              // derived inputs too: arguments are recorded once resolved
              assertThat(r.arguments()).startsWith("\"");
              assertThat(r.features()).containsKey("arg_bytes");
            });

    // the spans in the file are a view of the engine's records: one span per call, with the ids,
    // outcome and inputs of the call's final record, spanning all of its attempts (none, and no
    // time, for a call that never started)
    Map<String, ExecutionRecord> finalRecords =
        engine.stream()
            .filter(ExecutionRecord::finalAttempt)
            .collect(Collectors.toMap(ExecutionRecord::callId, r -> r));
    assertThat(finalRecords).hasSize(run.results().size());
    for (ExecutionRecord fromFile : file.records()) {
      ExecutionRecord last = finalRecords.get(fromFile.callId());
      ExecutionRecord first =
          engine.stream()
              .filter(r -> r.callId().equals(fromFile.callId()) && r.attempt() <= 1)
              .findFirst()
              .orElseThrow();
      assertThat(fromFile.neverStarted()).isEqualTo(last.neverStarted());
      if (last.neverStarted()) {
        assertThat(fromFile.duration()).isZero();
      }
      assertThat(fromFile.traceId()).isEqualTo(last.traceId());
      assertThat(fromFile.spanId()).isEqualTo(last.spanId());
      assertThat(fromFile.tool()).isEqualTo(last.tool());
      assertThat(fromFile.status()).isEqualTo(last.status());
      assertThat(fromFile.errorType()).isEqualTo(last.errorType());
      assertThat(fromFile.attempts()).isEqualTo(last.attempts());
      assertThat(fromFile.features()).isEqualTo(last.features());
      assertThat(fromFile.arguments()).isEqualTo(last.arguments());
      assertThat(fromFile.predictedLatency()).isEqualTo(last.predictedLatency());
      assertThat(fromFile.start()).isEqualTo(first.start());
      assertThat(last.end()).isBeforeOrEqualTo(fromFile.end());
    }
    for (ExecutionRecord last : finalRecords.values()) {
      List<Integer> numbers =
          engine.stream()
              .filter(r -> r.callId().equals(last.callId()))
              .map(ExecutionRecord::attempt)
              .sorted()
              .toList();
      assertThat(numbers)
          .as("a record per attempt of %s, or one numbered 0 if it never started", last.callId())
          .isEqualTo(
              last.attempt() == 0
                  ? List.of(0)
                  : java.util.stream.IntStream.rangeClosed(1, last.attempt()).boxed().toList());
    }

    ReadCounts counts = file.counts();
    assertThat(counts.spans()).isEqualTo(ran.size() + 1);
    assertThat(counts.toolRecords()).isEqualTo(ran.size());
    assertThat(counts.skippedSpans()).as("the run span").isOne();
    assertThat(counts.defaultedSpans()).isZero();
    assertThat(counts.malformedLines()).isZero();
    assertThat(counts.droppedSpans()).isZero();

    assertThat(file.runs()).hasSize(1);
    TraceRun traceRun = file.runs().getFirst();
    assertThat(traceRun.runId()).isEqualTo(run.runId());
    assertThat(traceRun.span()).isNotNull();
    assertThat(traceRun.records()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(traceRun.calls())
        .allSatisfy(call -> assertThat(call.parentSpanId()).isEqualTo(traceRun.span().spanId()));
  }

  private RunResult run(Mode mode, ToolExecutor executor)
      throws InterruptedException, ExecutionException {
    List<ToolCall<String, String>> calls =
        List.of(
            ToolCall.of("call-echo", echo, "hello"),
            ToolCall.of("call-failing", failing, "way"),
            ToolCall.of("call-flaky", flaky, "third time"));
    return switch (mode) {
      case PARALLEL -> executor.executeParallel(calls);
      case PARALLEL_ASYNC -> executor.executeParallelAsync(calls).get();
      case SEQUENTIAL -> executor.executeSequential(calls);
      case GRAPH ->
          executor.executeGraph(
              CallGraph.builder()
                  .add(ToolCall.of("first", echo, "a"))
                  .add(
                      ToolCall.derived(
                          "second", echo, deps -> (String) deps.get("first").value() + "b"),
                      "first")
                  .add(ToolCall.of("broken", failing, "c"))
                  .add(ToolCall.derived("never", echo, deps -> "unreachable"), "broken")
                  .build());
      case BATCH -> executor.executeBatch(echo, List.of("x", "y", "z"));
    };
  }
}
