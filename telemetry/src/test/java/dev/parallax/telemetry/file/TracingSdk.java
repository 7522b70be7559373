package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.telemetry.record.ToolSpanReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.Objects;

/**
 * The real OpenTelemetry SDK exporting every span, as it ends, to an in-memory exporter and to the
 * given exporters.
 */
final class TracingSdk implements AutoCloseable {

  static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.of(AttributeKey.stringKey("service.name"), "parallax-file-test")));

  final InMemorySpanExporter memory = InMemorySpanExporter.create();
  final OpenTelemetrySdk sdk;

  TracingSdk(SpanExporter... exporters) {
    SdkTracerProviderBuilder tracing =
        SdkTracerProvider.builder()
            .setResource(RESOURCE)
            .addSpanProcessor(SimpleSpanProcessor.create(memory));
    for (SpanExporter exporter : exporters) {
      tracing.addSpanProcessor(SimpleSpanProcessor.create(exporter));
    }
    sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing.build()).build();
  }

  List<SpanData> spans() {
    return memory.getFinishedSpanItems();
  }

  /** The in-memory spans read by ToolSpanReader: the records the file must give back. */
  List<ExecutionRecord> records() {
    return spans().stream()
        .map(
            span ->
                ToolSpanReader.read(
                        span.getTraceId(),
                        span.getSpanId(),
                        span.getName(),
                        span.getStartEpochNanos(),
                        span.getEndEpochNanos(),
                        span.getStatus().getStatusCode() == StatusCode.ERROR,
                        span.getAttributes())
                    .record())
        .filter(Objects::nonNull)
        .toList();
  }

  /** Shuts the SDK down, and with it every exporter. */
  @Override
  public void close() {
    sdk.close();
  }
}
