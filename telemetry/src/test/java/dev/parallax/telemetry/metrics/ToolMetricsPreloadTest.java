package dev.parallax.telemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Preload records are told apart in the tool metrics by {@code parallax.preload=true}. */
@Timeout(30)
class ToolMetricsPreloadTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider provider =
      SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final ToolMetrics metrics = new ToolMetrics(provider.get("test"));

  @AfterEach
  void close() {
    provider.close();
  }

  private static ExecutionRecord.Builder record(String callId, CallStatus status) {
    return ExecutionRecord.builder()
        .tool("get_reservation")
        .callId(callId)
        .runId(callId)
        .start(Instant.EPOCH)
        .duration(Duration.ofMillis(20))
        .status(status)
        .attempt(1)
        .attempts(1)
        .finalAttempt(true);
  }

  @Test
  void preloadRecords_carryParallaxPreloadTrue_realCallsDoNot() {
    metrics.recordEnded(record("preload-1", CallStatus.SUCCEEDED).preload(true).build());
    metrics.recordEnded(
        record("preload-2", CallStatus.FAILED)
            .preload(true)
            .errorType("java.io.IOException")
            .build());
    metrics.recordEnded(record("r", CallStatus.SUCCEEDED).cacheHit(true).preloadHit(true).build());
    metrics.recordEnded(record("s", CallStatus.SUCCEEDED).build());

    Map<String, MetricData> byName =
        reader.collectAllMetrics().stream().collect(Collectors.toMap(MetricData::getName, m -> m));
    Map<Attributes, Long> durations =
        byName.get(ToolMetrics.DURATION).getHistogramData().getPoints().stream()
            .collect(
                Collectors.toMap(HistogramPointData::getAttributes, HistogramPointData::getCount));
    Attributes real = Attributes.of(ToolSpanAttributes.TOOL_NAME, "get_reservation");
    assertThat(durations)
        .containsOnly(
            Map.entry(real.toBuilder().put(ToolMetrics.PRELOAD, true).build(), 1L),
            Map.entry(
                Attributes.of(
                    ToolSpanAttributes.TOOL_NAME,
                    "get_reservation",
                    ToolSpanAttributes.ERROR_TYPE,
                    "java.io.IOException",
                    ToolMetrics.PRELOAD,
                    true),
                1L),
            Map.entry(real, 2L));
    assertThat(ToolMetrics.PRELOAD.getKey()).isEqualTo("parallax.preload");
    // the real call answered by the preload is a cache hit of the agent's own call: no mark
    assertThat(byName.get(ToolMetrics.CACHE_HITS).getLongSumData().getPoints())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getAttributes()).isEqualTo(real);
              assertThat(p.getValue()).isOne();
            });
  }

  @Test
  void preloadCounters_areMarkedToo() {
    metrics.recordEnded(
        record("preload-1", CallStatus.TIMED_OUT).preload(true).errorType("timeout").build());
    metrics.recordEnded(record("t", CallStatus.TIMED_OUT).errorType("timeout").build());

    MetricData timeouts =
        reader.collectAllMetrics().stream()
            .filter(m -> m.getName().equals(ToolMetrics.TIMEOUTS))
            .findFirst()
            .orElseThrow();
    Map<Attributes, Long> byAttributes =
        timeouts.getLongSumData().getPoints().stream()
            .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
    Attributes real = Attributes.of(ToolSpanAttributes.TOOL_NAME, "get_reservation");
    assertThat(byAttributes)
        .containsOnly(
            Map.entry(real, 1L),
            Map.entry(real.toBuilder().put(ToolMetrics.PRELOAD, true).build(), 1L));
  }
}
