package dev.parallax.telemetry.file;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.KeyValue;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.List;

/** Spans that use every field OTLP has, made with the real SDK at fixed times. */
final class SampleSpans {

  static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

  static final Attributes EVERY_TYPE =
      Attributes.builder()
          .put("s", "text with \"quotes\", a\nnewline and ünïcödé ✓")
          .put("b", true)
          .put("l", Long.MIN_VALUE)
          .put("d", 0.1)
          .put(AttributeKey.stringArrayKey("sa"), List.of("x", "", "z"))
          .put(AttributeKey.booleanArrayKey("ba"), List.of(true, false))
          .put(AttributeKey.longArrayKey("la"), List.of(1L, -2L, Long.MAX_VALUE))
          .put(AttributeKey.doubleArrayKey("da"), List.of(1.5, -2.5e-300, 1e300))
          .put(AttributeKey.valueKey("bytes"), Value.of(new byte[] {0, 1, (byte) 0xff}))
          .put(
              AttributeKey.valueKey("map"),
              Value.of(KeyValue.of("k", Value.of("v")), KeyValue.of("n", Value.of(7L))))
          .put(AttributeKey.valueKey("mixed"), Value.of(Value.of("a"), Value.of(1L)))
          .build();

  private SampleSpans() {}

  /**
   * Makes a remote-parented server span with every attribute type, an event, a link and an error
   * status, and a child client span; both end.
   */
  static void emit(OpenTelemetry otel) {
    Tracer tracer =
        otel.getTracerProvider()
            .tracerBuilder("sample-scope")
            .setInstrumentationVersion("1.2.3")
            .build();
    SpanContext remoteParent =
        SpanContext.createFromRemoteParent(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "value").put("other", "x").build());
    SpanContext linked =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span server =
        tracer
            .spanBuilder("GET /search")
            .setParent(Context.root().with(Span.wrap(remoteParent)))
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(T0)
            .setAllAttributes(EVERY_TYPE)
            .addLink(linked, Attributes.of(AttributeKey.stringKey("link.reason"), "batch"))
            .startSpan();
    server.addEvent(
        "something happened", Attributes.of(AttributeKey.longKey("count"), 3L), T0.plusMillis(1));
    tracer
        .spanBuilder("call backend")
        .setParent(Context.root().with(server))
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(T0.plusMillis(2))
        .startSpan()
        .end(T0.plusMillis(3));
    server.setStatus(StatusCode.ERROR, "backend said no");
    server.end(T0.plusMillis(4));
  }
}
