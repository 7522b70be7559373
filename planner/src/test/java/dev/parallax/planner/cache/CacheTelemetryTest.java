package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Counters and span attributes, read from the real OpenTelemetry SDK. */
class CacheTelemetryTest {

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .build();
  private final AtomicInteger runs = new AtomicInteger();
  private final ToolRegistry registry = ToolRegistry.of(CacheTesting.counting("search", runs));
  private final Tool<Object, String> raw =
      Tools.named("raw")
          .cacheable(true)
          .idempotent(true)
          .input(Object.class)
          .function((in, ctx) -> "raw");

  @AfterEach
  void close() {
    otel.close();
  }

  private RunResult runMissHitAndUncacheable(CaffeineResultCache cache) {
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .timeSource(new VirtualTime())
            .openTelemetry(otel)
            .resultCache(cache)
            .build()) {
      return executor.executeSequential(
          List.of(
              registry.call("miss", "search", "{\"q\":\"jvm\"}"),
              registry.call("hit", "search", "{\"q\":\"jvm\"}"),
              ToolCall.of("uncacheable", raw, new Object())));
    }
  }

  @Test
  void hitsMissesAndUncacheableCalls_areCountedPerTool() {
    CaffeineResultCache cache = CaffeineResultCache.builder().openTelemetry(otel).build();
    runMissHitAndUncacheable(cache);

    Attributes search = Attributes.of(ToolSpanAttributes.TOOL_NAME, "search");
    Attributes rawTool = Attributes.of(ToolSpanAttributes.TOOL_NAME, "raw");
    assertThat(counter("parallax.cache.hits")).isEqualTo(Map.of(search, 1L));
    assertThat(counter("parallax.cache.misses")).isEqualTo(Map.of(search, 1L));
    assertThat(counter("parallax.cache.uncacheable")).isEqualTo(Map.of(rawTool, 1L));
    assertThat(cache.stats()).isEqualTo(new ResultCacheStats(1, 1, 1, 0, 1, 0));
  }

  @Test
  void callSpans_carryTheCacheHitAttribute_onlyWhenTheCacheApplied() {
    RunResult run = runMissHitAndUncacheable(CaffeineResultCache.builder().build());
    assertThat(run.allSucceeded()).isTrue();

    Map<String, SpanData> byCall =
        spans.getFinishedSpanItems().stream()
            .filter(s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID) != null)
            .collect(
                Collectors.toMap(
                    s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID), s -> s));
    assertThat(byCall.get("miss").getAttributes().get(ToolSpanAttributes.CACHE_HIT)).isFalse();
    assertThat(byCall.get("hit").getAttributes().get(ToolSpanAttributes.CACHE_HIT)).isTrue();
    assertThat(byCall.get("uncacheable").getAttributes().get(ToolSpanAttributes.CACHE_HIT))
        .isNull();
  }

  @Test
  void spansTheToolMakes_inTheSharedComputation_areChildrenOfTheFirstCallersSpan() {
    Tool<String, String> traced =
        Tools.named("traced")
            .cacheable(true)
            .idempotent(true)
            .input(String.class)
            .function(
                (in, ctx) -> {
                  otel.getTracer("tool-internals").spanBuilder("backend-request").startSpan().end();
                  return in;
                });
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .timeSource(new VirtualTime())
            .openTelemetry(otel)
            .resultCache(CaffeineResultCache.builder().build())
            .build()) {
      executor.executeSequential(List.of(ToolCall.of("first", traced, "q")));
    }

    SpanData inner = span(s -> s.getName().equals("backend-request"));
    SpanData call =
        span(s -> "first".equals(s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID)));
    assertThat(inner.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(inner.getTraceId()).isEqualTo(call.getTraceId());
  }

  private SpanData span(java.util.function.Predicate<SpanData> which) {
    return spans.getFinishedSpanItems().stream().filter(which).findFirst().orElseThrow();
  }

  /** A counter's values by attributes; empty when it never counted. */
  private Map<Attributes, Long> counter(String name) {
    return metrics.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .map(MetricData::getLongSumData)
        .flatMap(sum -> sum.getPoints().stream())
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }
}
