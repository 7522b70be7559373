package dev.parallax.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.telemetry.metrics.ToolMetrics;
import dev.parallax.telemetry.record.ExecutionRecordProcessor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Records and metrics from the real OpenTelemetry SDK, fed by real runs. */
class ExecutionRecordProcessorTest {

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final ParallaxTelemetry telemetry =
      ParallaxTelemetry.builder()
          .metricReader(metrics)
          .spanProcessor(SimpleSpanProcessor.create(spans))
          .build();
  private final List<ExecutionRecord> records = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void everyAttempt_becomesARecord_fromTheEngine_withTheSpansIdsAndTheCallsFacts()
      throws Exception {
    telemetry.subscribe(records::add);
    AtomicInteger flakyCalls = new AtomicInteger();
    Tool<String, Integer> length =
        Tools.named("length")
            .idempotent(true)
            .input(String.class)
            .function((in, ctx) -> in.length());
    Tool<String, Integer> flaky =
        Tools.named("flaky")
            .idempotent(true)
            .input(String.class)
            .function(
                (in, ctx) -> {
                  if (flakyCalls.incrementAndGet() < 3) {
                    throw new IOException("try again");
                  }
                  return 1;
                });
    Tool<String, Integer> broken =
        Tools.named("broken")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  throw new IllegalStateException("no");
                });
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", length, "hello"))
            .add(ToolCall.of("b", flaky, "x"), "a")
            .add(ToolCall.of("c", broken, "y"))
            .build();

    RunResult run;
    try (ToolExecutor executor =
        telemetry
            .instrument(ToolExecutor.builder())
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build())
            .build()) {
      run = executor.execute(ExecutionPlan.graph(graph));
    }
    assertThat(telemetry.records().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

    Map<String, ExecutionRecord> byCall =
        records.stream()
            .filter(ExecutionRecord::finalAttempt)
            .collect(Collectors.toMap(ExecutionRecord::callId, r -> r));
    assertThat(byCall).containsOnlyKeys("a", "b", "c");
    Map<String, SpanData> spanByCall =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getName().startsWith("execute_tool"))
            .collect(
                Collectors.toMap(
                    s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID), s -> s));

    ExecutionRecord a = byCall.get("a");
    assertThat(a.tool()).isEqualTo("length");
    assertThat(a.runId()).isEqualTo(run.runId());
    assertThat(a.traceId()).isEqualTo(spanByCall.get("a").getTraceId());
    assertThat(a.spanId()).isEqualTo(spanByCall.get("a").getSpanId());
    assertThat(a.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(a.errorType()).isNull();
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(a.inFlight()).isBetween(1, 2);
    assertThat(a.features()).containsEntry("arg_bytes", 7.0).containsEntry("arg_count", 1.0);
    assertThat(a.arguments()).as("no raw arguments unless opted in").isNull();
    assertThat(a.start()).isEqualTo(run.get("a").startedAt());

    ExecutionRecord b = byCall.get("b");
    assertThat(b.attempts()).isEqualTo(3);
    assertThat(b.attempt()).isEqualTo(3);
    assertThat(b.status()).isEqualTo(CallStatus.SUCCEEDED);
    List<ExecutionRecord> bAttempts =
        records.stream().filter(r -> r.callId().equals("b") && !r.finalAttempt()).toList();
    assertThat(bAttempts).extracting(ExecutionRecord::attempt).containsExactly(1, 2);
    assertThat(bAttempts)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(CallStatus.FAILED);
              assertThat(r.errorType()).isEqualTo(IOException.class.getName());
              assertThat(r.spanId()).isEqualTo(b.spanId());
            });

    ExecutionRecord c = byCall.get("c");
    assertThat(c.status()).isEqualTo(CallStatus.FAILED);
    assertThat(c.errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(records).as("a: 1 attempt, b: 3, c: 1").hasSize(5);
    assertThat(telemetry.records().dropped()).isZero();
  }

  @Test
  void metrics_durationByToolAndErrorType_retries_timeouts_inFlight() {
    Tool<String, String> ok =
        Tools.named("ok").idempotent(true).input(String.class).function((in, ctx) -> in);
    AtomicInteger attempts = new AtomicInteger();
    Tool<String, String> flaky =
        Tools.named("flaky")
            .idempotent(true)
            .input(String.class)
            .function(
                (in, ctx) -> {
                  if (attempts.incrementAndGet() == 1) {
                    throw new IOException("once");
                  }
                  return in;
                });
    CountDownLatch never = new CountDownLatch(1);
    Tool<String, String> stuck =
        Tools.named("stuck")
            .input(String.class)
            .function(
                (in, ctx) -> {
                  never.await();
                  return in;
                });
    try (ToolExecutor executor =
        telemetry
            .instrument(ToolExecutor.builder())
            .attemptTimeout(Duration.ofMillis(200))
            .retryPolicy(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build())
            .build()) {
      executor.executeParallel(
          List.of(
              ToolCall.of("1", ok, "a"),
              ToolCall.of("2", ok, "b"),
              ToolCall.of("3", flaky, "c"),
              ToolCall.of("4", stuck, "d")));
    }

    Map<String, MetricData> byName =
        metrics.collectAllMetrics().stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    MetricData duration = byName.get(ToolMetrics.DURATION);
    assertThat(duration.getUnit()).isEqualTo("s");
    Map<Attributes, Long> counts =
        duration.getHistogramData().getPoints().stream()
            .collect(
                Collectors.toMap(HistogramPointData::getAttributes, HistogramPointData::getCount));
    assertThat(counts)
        .containsEntry(Attributes.of(ToolSpanAttributes.TOOL_NAME, "ok"), 2L)
        .containsEntry(Attributes.of(ToolSpanAttributes.TOOL_NAME, "flaky"), 1L)
        .as("one duration per attempt: the failed first attempt of flaky too")
        .containsEntry(
            Attributes.of(
                ToolSpanAttributes.TOOL_NAME,
                "flaky",
                ToolSpanAttributes.ERROR_TYPE,
                IOException.class.getName()),
            1L)
        .containsEntry(
            Attributes.of(
                ToolSpanAttributes.TOOL_NAME, "stuck", ToolSpanAttributes.ERROR_TYPE, "timeout"),
            1L);
    assertThat(sum(byName.get(ToolMetrics.RETRIES))).isEqualTo(1);
    assertThat(sum(byName.get(ToolMetrics.TIMEOUTS))).isEqualTo(1);
    assertThat(sum(byName.get(ToolMetrics.IN_FLIGHT))).as("every started call ended").isZero();
    never.countDown();
  }

  @Test
  @Timeout(120)
  void burstOf50kRecords_withAStuckSubscriber_waitsOneStallTimeout_thenDropsAndCountsTheRest()
      throws Exception {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    ExecutionRecordProcessor processor =
        new ExecutionRecordProcessor(1_000, Duration.ofMillis(200), meters);
    CountDownLatch subscriberStuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    processor.subscribe(
        record -> {
          subscriberStuck.countDown();
          try {
            release.await(); // a subscriber far slower than the tools
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          delivered.incrementAndGet();
        });

    int burst = 50_000;
    java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < burst; i++) {
      processor.accept(
          ExecutionRecord.builder()
              .tool("search")
              .callId("call-" + i)
              .start(start)
              .status(CallStatus.SUCCEEDED)
              .build());
    }
    // reaching this line means the emits stopped waiting for the stuck subscriber
    assertThat(subscriberStuck.await(30, TimeUnit.SECONDS)).isTrue();
    long dropped = processor.dropped();
    assertThat(dropped).isGreaterThanOrEqualTo(burst - 1_000 - 1);
    assertThat(sum(metric(reader, ToolMetrics.DROPPED))).isEqualTo(dropped);

    release.countDown();
    assertThat(processor.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered.get() + dropped).isEqualTo(burst);
    processor.shutdown().join(30, TimeUnit.SECONDS);
    meters.close();
  }

  @Test
  void spans_areNotReadBackAsRecords_onlyTheEngineEmitsThem_inFlightCountsToolSpans() {
    telemetry.subscribe(records::add);
    Tracer tracer = telemetry.openTelemetry().getTracer("other");
    tracer.spanBuilder("GET /weather").startSpan().end();
    io.opentelemetry.api.trace.Span tool = tracer.spanBuilder("execute_tool weather").startSpan();
    Map<String, MetricData> during =
        metrics.collectAllMetrics().stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    assertThat(sum(during.get(ToolMetrics.IN_FLIGHT))).isEqualTo(1);
    tool.end();
    telemetry.records().forceFlush().join(30, TimeUnit.SECONDS);

    assertThat(records).isEmpty();
    Map<String, MetricData> after =
        metrics.collectAllMetrics().stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    assertThat(sum(after.get(ToolMetrics.IN_FLIGHT))).isZero();
  }

  @Test
  void oneLineSetup_overOtlp_neverTouchesGlobalOpenTelemetry() {
    for (ParallaxTelemetry.OtlpProtocol protocol : ParallaxTelemetry.OtlpProtocol.values()) {
      try (ParallaxTelemetry otlp = ParallaxTelemetry.otlp("http://127.0.0.1:4318", protocol)) {
        assertThat(otlp.openTelemetry().getTracer("x")).isNotNull();
      }
    }
    assertThat(GlobalOpenTelemetry.isSet()).isFalse();
    assertThatThrownBy(
            () -> ParallaxTelemetry.otlp("localhost:4318", ParallaxTelemetry.OtlpProtocol.GRPC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localhost:4318");
    assertThatThrownBy(() -> ParallaxTelemetry.builder().recordQueueCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private MetricData metric(InMemoryMetricReader reader, String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static long sum(MetricData metric) {
    return metric.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
  }
}
