package dev.parallax.telemetry.file;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.SpanFlags;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the SDK's {@link SpanData} to the official OTLP protobuf classes: spans grouped by
 * resource, then by instrumentation scope, in the order they came. Stateless.
 */
final class SpanDataToProto {

  private SpanDataToProto() {}

  static ExportTraceServiceRequest request(Collection<SpanData> spans) {
    Map<io.opentelemetry.sdk.resources.Resource, Map<InstrumentationScopeInfo, List<SpanData>>>
        grouped = new LinkedHashMap<>();
    for (SpanData span : spans) {
      grouped
          .computeIfAbsent(span.getResource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(span.getInstrumentationScopeInfo(), s -> new java.util.ArrayList<>())
          .add(span);
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    grouped.forEach(
        (resource, byScope) -> {
          ResourceSpans.Builder resourceSpans =
              ResourceSpans.newBuilder()
                  .setResource(
                      Resource.newBuilder().addAllAttributes(keyValues(resource.getAttributes())));
          if (resource.getSchemaUrl() != null) {
            resourceSpans.setSchemaUrl(resource.getSchemaUrl());
          }
          byScope.forEach(
              (scope, scopeSpans) -> resourceSpans.addScopeSpans(scopeSpans(scope, scopeSpans)));
          request.addResourceSpans(resourceSpans);
        });
    return request.build();
  }

  private static ScopeSpans scopeSpans(InstrumentationScopeInfo scope, List<SpanData> spans) {
    InstrumentationScope.Builder proto =
        InstrumentationScope.newBuilder()
            .setName(scope.getName())
            .addAllAttributes(keyValues(scope.getAttributes()));
    if (scope.getVersion() != null) {
      proto.setVersion(scope.getVersion());
    }
    ScopeSpans.Builder builder = ScopeSpans.newBuilder().setScope(proto);
    if (scope.getSchemaUrl() != null) {
      builder.setSchemaUrl(scope.getSchemaUrl());
    }
    for (SpanData span : spans) {
      builder.addSpans(span(span));
    }
    return builder.build();
  }

  static Span span(SpanData span) {
    SpanContext context = span.getSpanContext();
    Span.Builder builder =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(context.getTraceIdBytes()))
            .setSpanId(ByteString.copyFrom(context.getSpanIdBytes()))
            .setTraceState(traceState(context.getTraceState()))
            .setFlags(flags(context, span.getParentSpanContext()))
            .setName(span.getName())
            .setKind(kind(span.getKind()))
            .setStartTimeUnixNano(span.getStartEpochNanos())
            .setEndTimeUnixNano(span.getEndEpochNanos())
            .addAllAttributes(keyValues(span.getAttributes()))
            .setDroppedAttributesCount(
                dropped(span.getTotalAttributeCount(), span.getAttributes().size()))
            .setDroppedEventsCount(dropped(span.getTotalRecordedEvents(), span.getEvents().size()))
            .setDroppedLinksCount(dropped(span.getTotalRecordedLinks(), span.getLinks().size()))
            .setStatus(status(span.getStatus()));
    if (span.getParentSpanContext().isValid()) {
      builder.setParentSpanId(ByteString.copyFrom(span.getParentSpanContext().getSpanIdBytes()));
    }
    for (EventData event : span.getEvents()) {
      builder.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(event.getEpochNanos())
              .setName(event.getName())
              .addAllAttributes(keyValues(event.getAttributes()))
              .setDroppedAttributesCount(event.getDroppedAttributesCount()));
    }
    for (LinkData link : span.getLinks()) {
      SpanContext linked = link.getSpanContext();
      builder.addLinks(
          Span.Link.newBuilder()
              .setTraceId(ByteString.copyFrom(linked.getTraceIdBytes()))
              .setSpanId(ByteString.copyFrom(linked.getSpanIdBytes()))
              .setTraceState(traceState(linked.getTraceState()))
              .setFlags(flags(linked, linked))
              .addAllAttributes(keyValues(link.getAttributes()))
              .setDroppedAttributesCount(
                  dropped(link.getTotalAttributeCount(), link.getAttributes().size())));
    }
    return builder.build();
  }

  /*
   * Span flags (trace.proto): bits 0-7 are the W3C trace flags; bit 8 says whether bit 9 is
   * known, bit 9 whether the parent (for a link: the linked span) is remote.
   */
  private static int flags(SpanContext own, SpanContext remoteness) {
    int flags =
        (own.getTraceFlags().asByte() & SpanFlags.SPAN_FLAGS_TRACE_FLAGS_MASK_VALUE)
            | SpanFlags.SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK_VALUE;
    if (remoteness.isRemote()) {
      flags |= SpanFlags.SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK_VALUE;
    }
    return flags;
  }

  /** The W3C {@code tracestate} header form, {@code k1=v1,k2=v2}, or {@code ""}. */
  private static String traceState(TraceState state) {
    StringBuilder out = new StringBuilder();
    state.forEach(
        (key, value) -> {
          if (!out.isEmpty()) {
            out.append(',');
          }
          out.append(key).append('=').append(value);
        });
    return out.toString();
  }

  private static Span.SpanKind kind(io.opentelemetry.api.trace.SpanKind kind) {
    return switch (kind) {
      case INTERNAL -> Span.SpanKind.SPAN_KIND_INTERNAL;
      case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
      case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
      case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
    };
  }

  private static Status status(StatusData status) {
    Status.StatusCode code =
        switch (status.getStatusCode()) {
          case UNSET -> Status.StatusCode.STATUS_CODE_UNSET;
          case OK -> Status.StatusCode.STATUS_CODE_OK;
          case ERROR -> Status.StatusCode.STATUS_CODE_ERROR;
        };
    return Status.newBuilder().setCode(code).setMessage(status.getDescription()).build();
  }

  private static int dropped(int total, int kept) {
    return Math.max(0, total - kept);
  }

  static List<KeyValue> keyValues(Attributes attributes) {
    List<KeyValue> out = new java.util.ArrayList<>(attributes.size());
    attributes.forEach(
        (key, value) ->
            out.add(
                KeyValue.newBuilder().setKey(key.getKey()).setValue(value(key, value)).build()));
    return out;
  }

  private static AnyValue value(AttributeKey<?> key, Object value) {
    return switch (key.getType()) {
      case STRING -> AnyValue.newBuilder().setStringValue((String) value).build();
      case BOOLEAN -> AnyValue.newBuilder().setBoolValue((Boolean) value).build();
      case LONG -> AnyValue.newBuilder().setIntValue((Long) value).build();
      case DOUBLE -> AnyValue.newBuilder().setDoubleValue((Double) value).build();
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (Object element : (List<?>) value) {
          array.addValues(scalar(element));
        }
        yield AnyValue.newBuilder().setArrayValue(array).build();
      }
      case VALUE -> anyValue((Value<?>) value);
    };
  }

  private static AnyValue scalar(Object value) {
    AnyValue.Builder builder = AnyValue.newBuilder();
    if (value instanceof String s) {
      builder.setStringValue(s);
    } else if (value instanceof Boolean b) {
      builder.setBoolValue(b);
    } else if (value instanceof Long l) {
      builder.setIntValue(l);
    } else if (value instanceof Double d) {
      builder.setDoubleValue(d);
    } else {
      builder.setStringValue(String.valueOf(value));
    }
    return builder.build();
  }

  /** A structured attribute value ({@link AttributeKey#valueKey}), recursively. */
  private static AnyValue anyValue(Value<?> value) {
    AnyValue.Builder builder = AnyValue.newBuilder();
    switch (value.getType()) {
      case STRING -> builder.setStringValue((String) value.getValue());
      case BOOLEAN -> builder.setBoolValue((Boolean) value.getValue());
      case LONG -> builder.setIntValue((Long) value.getValue());
      case DOUBLE -> builder.setDoubleValue((Double) value.getValue());
      case BYTES ->
          builder.setBytesValue(ByteString.copyFrom(((ByteBuffer) value.getValue()).duplicate()));
      case ARRAY -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        for (Object element : (List<?>) value.getValue()) {
          array.addValues(anyValue((Value<?>) element));
        }
        builder.setArrayValue(array);
      }
      case KEY_VALUE_LIST -> {
        KeyValueList.Builder list = KeyValueList.newBuilder();
        for (Object element : (List<?>) value.getValue()) {
          io.opentelemetry.api.common.KeyValue entry =
              (io.opentelemetry.api.common.KeyValue) element;
          list.addValues(
              KeyValue.newBuilder().setKey(entry.getKey()).setValue(anyValue(entry.getValue())));
        }
        builder.setKvlistValue(list);
      }
      case EMPTY -> {
        // an empty AnyValue: no field set
      }
    }
    return builder.build();
  }
}
