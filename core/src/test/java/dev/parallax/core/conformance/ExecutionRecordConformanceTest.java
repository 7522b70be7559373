package dev.parallax.core.conformance;

import static dev.parallax.core.conformance.Harness.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The records the engine emits through {@code ToolExecutor.Builder.recordSink}: one per attempt,
 * with the attempt's own start and latency, one for every call that never started, and the spans as
 * views of the same facts. Every scenario in every {@link Mode}, in virtual time.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecutionRecordConformanceTest {

  private final List<ExecutionRecord> records = new CopyOnWriteArrayList<>();

  private List<ExecutionRecord> of(String callId) {
    return records.stream()
        .filter(r -> r.callId().equals(callId))
        .sorted(Comparator.comparingInt(ExecutionRecord::attempt))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void recordPerAttempt_latencyIsTheAttemptsOwn_backoffAndOtherAttemptsExcluded(Mode mode)
      throws Exception {
    Duration timeout = Duration.ofMillis(20);
    Duration delay = Duration.ofMillis(10);
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.recordSink(records::add)
                    .attemptTimeout(timeout)
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .initialDelay(delay)
                            .multiplier(1)
                            .jitter(0)
                            .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  switch (attempt) {
                    case 1 -> Probe.blocks();
                    case 2 -> Probe.fails(new IOException("flaky"));
                    default -> Probe.returns("ok");
                  });
      Started started = h.start(mode, calls(probe, 0));
      probe.awaitInside(1);
      h.clock().advance(timeout); // attempt 1 times out after 20 ms
      h.events.await("retry#2 probe-0");
      h.clock().advance(delay); // attempt 2 fails at once
      h.events.await("retry#3 probe-0");
      h.clock().advance(delay); // attempt 3 succeeds at once
      RunResult run = started.result();

      assertThat(run.get("probe-0").attempts()).isEqualTo(3);
      List<ExecutionRecord> attempts = of("probe-0");
      assertThat(attempts).extracting(ExecutionRecord::attempt).containsExactly(1, 2, 3);
      ExecutionRecord first = attempts.get(0);
      ExecutionRecord second = attempts.get(1);
      ExecutionRecord third = attempts.get(2);
      assertThat(first.status()).isEqualTo(CallStatus.TIMED_OUT);
      assertThat(first.errorType()).isEqualTo("timeout");
      assertThat(first.duration()).isEqualTo(timeout);
      assertThat(first.finalAttempt()).isFalse();
      assertThat(second.status()).isEqualTo(CallStatus.FAILED);
      assertThat(second.errorType()).isEqualTo(IOException.class.getName());
      assertThat(second.start()).isEqualTo(first.end().plus(delay));
      assertThat(second.duration()).isZero();
      assertThat(second.finalAttempt()).isFalse();
      assertThat(third.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(third.start()).isEqualTo(second.end().plus(delay));
      assertThat(third.duration()).isZero();
      assertThat(third.finalAttempt()).isTrue();
      assertThat(third.attempts()).isEqualTo(3);
      assertThat(attempts)
          .allSatisfy(
              r -> {
                assertThat(r.tool()).isEqualTo("probe");
                assertThat(r.runId()).isEqualTo(run.runId());
                assertThat(r.traceId()).matches("[0-9a-f]{32}");
                assertThat(r.spanId()).matches("[0-9a-f]{16}").isEqualTo(first.spanId());
              });
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void callsThatNeverStarted_getOneRecordEach_attemptZeroZeroDuration(Mode mode) throws Exception {
    try (Harness h =
        Harness.virtualTime(
            b -> b.recordSink(records::add).maxConcurrency(1).failureMode(FailureMode.FAIL_FAST))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  in.equals(0) ? Probe.fails(new IOException("down")) : Probe.returns(in));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2));

      assertThat(records).hasSize(3);
      assertThat(of("probe-0"))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.attempt()).isEqualTo(1);
                assertThat(r.status()).isEqualTo(CallStatus.FAILED);
                assertThat(r.finalAttempt()).isTrue();
              });
      for (String id : List.of("probe-1", "probe-2")) {
        assertThat(run.get(id).status()).isEqualTo(CallStatus.CANCELLED);
        assertThat(of(id))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.neverStarted()).isTrue();
                  assertThat(r.attempt()).isZero();
                  assertThat(r.attempts()).isZero();
                  assertThat(r.duration()).isZero();
                  assertThat(r.status()).isEqualTo(CallStatus.CANCELLED);
                  assertThat(r.errorType()).isEqualTo("cancelled");
                  assertThat(r.finalAttempt()).isTrue();
                });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.Invocation.class)
  void graph_dependencyFails_skippedDependentsGetARecord(Mode.Invocation invocation)
      throws Exception {
    try (Harness h = Harness.virtualTime(b -> b.recordSink(records::add))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  in.equals("a") ? Probe.fails(new IOException("down")) : Probe.returns(in));
      CallGraph graph =
          CallGraph.builder()
              .add(ToolCall.of("a", probe, "a"))
              .add(ToolCall.of("b", probe, "b"), "a")
              .add(ToolCall.of("c", probe, "c"), "b")
              .add(ToolCall.of("d", probe, "d"))
              .build();

      RunResult run = h.startGraph(invocation, graph).result();

      assertThat(run.get("c").status()).isEqualTo(CallStatus.SKIPPED);
      assertThat(records).hasSize(4);
      assertThat(of("a")).singleElement().extracting(ExecutionRecord::attempt).isEqualTo(1);
      assertThat(of("d")).singleElement().extracting(ExecutionRecord::succeeded).isEqualTo(true);
      for (String id : List.of("b", "c")) {
        assertThat(of(id))
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.status()).isEqualTo(CallStatus.SKIPPED);
                  assertThat(r.attempt()).isZero();
                  assertThat(r.duration()).isZero();
                  assertThat(r.finalAttempt()).isTrue();
                });
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void throwingSink_isLoggedCountedAndIgnored_otherSinksGetEveryRecord(Mode mode) throws Exception {
    try (Harness h =
        Harness.virtualTime(
            b ->
                b.recordSink(
                        r -> {
                          throw new AssertionError("broken sink");
                        })
                    .recordSink(records::add))) {
      Probe probe = h.probe("probe", (in, attempt) -> Probe.returns(in));

      RunResult run = h.run(mode, calls(probe, 0, 1, 2));

      assertThat(run.results()).allSatisfy(r -> assertThat(r.isSuccess()).isTrue());
      assertThat(records).hasSize(3);
      assertThat(h.executor.recordSinkFailures()).isEqualTo(3);
    }
  }

  @Test
  void spansAndRecords_describeTheSameCalls_realOpenTelemetrySdk() throws Exception {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (OpenTelemetrySdk otel =
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
        Harness h =
            Harness.virtualTime(
                b ->
                    b.recordSink(records::add)
                        .openTelemetry(otel)
                        .retryPolicy(
                            RetryPolicy.builder()
                                .maxAttempts(2)
                                .initialDelay(Duration.ofMillis(5))
                                .jitter(0)
                                .build()))) {
      Probe probe =
          h.probe(
              "probe",
              (in, attempt) ->
                  in.equals(1) && attempt == 1
                      ? Probe.fails(new IOException("once"))
                      : Probe.returns(in));
      Started started = h.start(Mode.PARALLEL_SYNC, calls(probe, 0, 1));
      h.events.await("retry#2 probe-1");
      h.clock().advance(Duration.ofMillis(5));
      started.result();

      List<SpanData> toolSpans =
          exporter.getFinishedSpanItems().stream()
              .filter(s -> s.getName().startsWith("execute_tool"))
              .toList();
      assertThat(toolSpans).hasSize(2);
      for (SpanData span : toolSpans) {
        String callId =
            span.getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.tool.call.id"));
        assertThat(of(callId))
            .allSatisfy(
                r -> {
                  assertThat(r.traceId()).isEqualTo(span.getTraceId());
                  assertThat(r.spanId()).isEqualTo(span.getSpanId());
                });
        ExecutionRecord last = of(callId).getLast();
        assertThat(last.finalAttempt()).isTrue();
        assertThat(last.end().toEpochMilli())
            .isEqualTo(TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos()));
      }
      assertThat(of("probe-1")).extracting(ExecutionRecord::attempt).containsExactly(1, 2);
    }
  }
}
