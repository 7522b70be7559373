package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fallback origin and reason on the spans of the real OpenTelemetry SDK. */
class FallbackTracingTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  @AfterEach
  void close() {
    otel.close();
  }

  @Test
  void swappedCalls_carryFallbackFromAndReason_andTheToolThatAnswered() {
    VirtualTime time = new VirtualTime();
    ScriptedTool flaky = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool doubtful = ScriptedTool.healthy("search_c", 10);
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ScriptedTool fine = ScriptedTool.healthy("weather", 10);
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .chain(flaky, backup)
            .chain(doubtful, backup)
            .timeSource(time)
            .build();

    try (FallbackSim sim =
        new FallbackSim(
            time,
            b ->
                policy
                    .attachTo(b)
                    .openTelemetry(otel)
                    .predictor(
                        call ->
                            call.tool() == doubtful
                                ? new Prediction(
                                    Duration.ofMillis(10), Duration.ofMillis(20), 0.1, "test")
                                : null))) {
      sim.run(
          ExecutionPlan.parallel(
              List.of(
                  ToolCall.of("after-failure", flaky, "q"),
                  ToolCall.of("before-start", doubtful, "q"),
                  ToolCall.of("no-swap", fine, "q"))));
    }

    Map<String, SpanData> spans =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID) != null)
            .collect(
                Collectors.toMap(
                    s -> s.getAttributes().get(ToolSpanAttributes.TOOL_CALL_ID),
                    Function.identity()));
    SpanData afterFailure = spans.get("after-failure");
    assertThat(afterFailure.getName()).isEqualTo("execute_tool search_b");
    assertThat(afterFailure.getAttributes().get(ToolSpanAttributes.TOOL_NAME))
        .isEqualTo("search_b");
    assertThat(afterFailure.getAttributes().get(ToolSpanAttributes.FALLBACK_FROM))
        .isEqualTo("search_a");
    assertThat(afterFailure.getAttributes().get(ToolSpanAttributes.FALLBACK_REASON))
        .isEqualTo("search_a failed: IOException");
    SpanData beforeStart = spans.get("before-start");
    assertThat(beforeStart.getAttributes().get(ToolSpanAttributes.FALLBACK_FROM))
        .isEqualTo("search_c");
    assertThat(beforeStart.getAttributes().get(ToolSpanAttributes.FALLBACK_REASON))
        .isEqualTo("predicted success 0.10 < 0.50");
    SpanData noSwap = spans.get("no-swap");
    assertThat(noSwap.getAttributes().get(ToolSpanAttributes.FALLBACK_FROM)).isNull();
    assertThat(noSwap.getAttributes().get(ToolSpanAttributes.FALLBACK_REASON)).isNull();
  }
}
