package dev.parallax.telemetry;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.telemetry.record.ExecutionRecordProcessor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An OpenTelemetry SDK set up for Parallax: the engine's {@link ExecutionRecord}s (one per attempt,
 * one per call that never started) go to the subscribers and feed the tool metrics, and, if asked,
 * spans and metrics are exported over OTLP. {@code GlobalOpenTelemetry} is never touched. Spans and
 * metrics are views of the same facts as the records; records are not read back from spans.
 *
 * <pre>{@code
 * try (ParallaxTelemetry telemetry =
 *         ParallaxTelemetry.otlp("http://localhost:4318", OtlpProtocol.HTTP_PROTOBUF);
 *     ToolExecutor executor = telemetry.instrument(ToolExecutor.builder()).build()) {
 *   telemetry.subscribe(record -> history.append(record));
 *   ...
 * }
 * }</pre>
 *
 * <p>To add Parallax to an SDK you build yourself, hand your builders to {@link
 * Builder#tracerProvider} and {@link Builder#meterProvider}: an SDK that is already built cannot
 * take a new span processor. Closing flushes and shuts the SDK down. Thread-safe.
 */
public final class ParallaxTelemetry implements AutoCloseable {

  /** The OTLP transport. */
  public enum OtlpProtocol {
    /** OTLP over HTTP with protobuf bodies, usually port 4318. */
    HTTP_PROTOBUF,
    /** OTLP over gRPC, usually port 4317. */
    GRPC
  }

  private final OpenTelemetrySdk sdk;
  private final ExecutionRecordProcessor records;

  private ParallaxTelemetry(OpenTelemetrySdk sdk, ExecutionRecordProcessor records) {
    this.sdk = sdk;
    this.records = records;
  }

  /** An SDK that exports spans and metrics over OTLP to {@code endpoint} and feeds the records. */
  public static ParallaxTelemetry otlp(String endpoint, OtlpProtocol protocol) {
    return builder().otlp(endpoint, protocol).build();
  }

  /** Starts a builder; with nothing else set, it makes records and metrics but exports nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** The SDK, to hand to {@code ToolExecutor.Builder.openTelemetry}. */
  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** The SDK itself. */
  public OpenTelemetrySdk sdk() {
    return sdk;
  }

  /**
   * The processor that takes the engine's records, records the tool metrics and hands the records
   * to the subscribers: register it with {@code ToolExecutor.Builder.recordSink} (or use {@link
   * #instrument}).
   */
  public ExecutionRecordProcessor records() {
    return records;
  }

  /**
   * Wires an executor to this telemetry: spans through {@link #openTelemetry()}, records (and the
   * metrics derived from them) through {@link #records()}.
   *
   * @return {@code executor}, for chaining
   */
  public ToolExecutor.Builder instrument(ToolExecutor.Builder executor) {
    return executor.openTelemetry(sdk).recordSink(records);
  }

  /** Shorthand for {@code records().subscribe(subscriber)}. */
  public AutoCloseable subscribe(Consumer<ExecutionRecord> subscriber) {
    return records.subscribe(subscriber);
  }

  /** Flushes and shuts down the SDK, the record processor included. */
  @Override
  public void close() {
    sdk.close();
  }

  /** Configures a {@link ParallaxTelemetry}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SdkTracerProviderBuilder tracerProvider;
    private @Nullable SdkMeterProviderBuilder meterProvider;
    private final List<SpanProcessor> spanProcessors = new ArrayList<>();
    private final List<MetricReader> metricReaders = new ArrayList<>();
    private int queueCapacity = ExecutionRecordProcessor.DEFAULT_CAPACITY;
    private Duration stallTimeout = ExecutionRecordProcessor.DEFAULT_STALL_TIMEOUT;
    private @Nullable String serviceName;

    private Builder() {}

    /**
     * Exports spans (batched) and metrics (every 10 s) over OTLP.
     *
     * @throws IllegalArgumentException if the endpoint is not an http(s) URL
     */
    public Builder otlp(String endpoint, OtlpProtocol protocol) {
      Objects.requireNonNull(protocol, "protocol");
      if (endpoint == null
          || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
        throw new IllegalArgumentException(
            "OTLP endpoint must be an http:// or https:// URL, was " + endpoint);
      }
      SpanExporter spans;
      MetricExporter metrics;
      if (protocol == OtlpProtocol.GRPC) {
        spans = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
        metrics = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).build();
      } else {
        String base =
            endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        spans = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
        metrics = OtlpHttpMetricExporter.builder().setEndpoint(base + "/v1/metrics").build();
      }
      spanProcessors.add(BatchSpanProcessor.builder(spans).build());
      metricReaders.add(
          PeriodicMetricReader.builder(metrics).setInterval(Duration.ofSeconds(10)).build());
      return this;
    }

    /** Also sends spans to this exporter, batched (for example a trace file writer). */
    public Builder spanExporter(SpanExporter exporter) {
      return spanProcessor(BatchSpanProcessor.builder(exporter).build());
    }

    /** Also runs this span processor. */
    public Builder spanProcessor(SpanProcessor processor) {
      spanProcessors.add(Objects.requireNonNull(processor, "processor"));
      return this;
    }

    /** Also reads metrics with this reader. */
    public Builder metricReader(MetricReader reader) {
      metricReaders.add(Objects.requireNonNull(reader, "reader"));
      return this;
    }

    /** Uses your tracer provider builder (its processors stay) instead of a new one. */
    public Builder tracerProvider(SdkTracerProviderBuilder builder) {
      this.tracerProvider = Objects.requireNonNull(builder, "builder");
      return this;
    }

    /** Uses your meter provider builder (its readers stay) instead of a new one. */
    public Builder meterProvider(SdkMeterProviderBuilder builder) {
      this.meterProvider = Objects.requireNonNull(builder, "builder");
      return this;
    }

    /**
     * How many ended tool spans may wait for the record subscribers before the threads ending spans
     * wait for room (default {@value ExecutionRecordProcessor#DEFAULT_CAPACITY}); see {@link
     * ExecutionRecordProcessor}.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder recordQueueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("record queue capacity must be >= 1, was " + capacity);
      }
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * How long the record subscribers may take no record before threads ending tool spans stop
     * waiting for room in the full record queue and drop the records (default {@link
     * ExecutionRecordProcessor#DEFAULT_STALL_TIMEOUT}); {@link Duration#ZERO} never waits.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder recordStallTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("record stall timeout must be >= 0, was " + timeout);
      }
      this.stallTimeout = timeout;
      return this;
    }

    /** The {@code service.name} of the resource (default: the SDK's default). */
    public Builder serviceName(String serviceName) {
      this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
      return this;
    }

    /** Builds the SDK; it is not registered as {@code GlobalOpenTelemetry}. */
    public ParallaxTelemetry build() {
      Resource resource = Resource.getDefault();
      if (serviceName != null) {
        resource =
            resource.merge(
                Resource.create(
                    Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
      }
      SdkMeterProviderBuilder meters =
          meterProvider != null ? meterProvider : SdkMeterProvider.builder().setResource(resource);
      metricReaders.forEach(meters::registerMetricReader);
      SdkMeterProvider meterProviderBuilt = meters.build();
      ExecutionRecordProcessor records =
          new ExecutionRecordProcessor(queueCapacity, stallTimeout, meterProviderBuilt);
      SdkTracerProviderBuilder tracers =
          tracerProvider != null
              ? tracerProvider
              : SdkTracerProvider.builder().setResource(resource);
      tracers.addSpanProcessor(records);
      spanProcessors.forEach(tracers::addSpanProcessor);
      OpenTelemetrySdk sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(tracers.build())
              .setMeterProvider(meterProviderBuilt)
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build();
      return new ParallaxTelemetry(sdk, records);
    }
  }
}
