package dev.parallax.telemetry.file;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/*
 * Attribute values: OTLP's AnyValue is richer than the API's attribute types. Strings, booleans,
 * ints and doubles map to the attribute of that type, arrays whose elements all have one of those
 * types to the typed array attribute; everything else (bytes, key-value lists, mixed, nested or
 * empty arrays, an unset value) becomes a structured Value attribute (AttributeKey.valueKey).
 * JsonFormat reads doubles through BigDecimal, so a -0.0 in the file reads as 0.0.
 */

/** The official OTLP protobuf span → {@link TraceSpan}. Stateless. */
final class ProtoSpans {

  private static final HexFormat HEX = HexFormat.of();

  private ProtoSpans() {}

  /**
   * The span, without a record, with the fields that got defaults added to {@code defaulted}.
   *
   * @param resource the resource's attributes
   * @param scopeName the instrumentation scope's name
   */
  static TraceSpan span(
      Span span, Attributes resource, String scopeName, int line, List<String> defaulted) {
    List<TraceSpan.Event> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event event : span.getEventsList()) {
      events.add(
          new TraceSpan.Event(
              event.getName(), event.getTimeUnixNano(), attributes(event.getAttributesList())));
    }
    List<TraceSpan.Link> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link link : span.getLinksList()) {
      links.add(
          new TraceSpan.Link(
              hex(link.getTraceId()), hex(link.getSpanId()), attributes(link.getAttributesList())));
    }
    return new TraceSpan(
        hex(span.getTraceId()),
        hex(span.getSpanId()),
        hex(span.getParentSpanId()),
        span.getName(),
        kind(span.getKind(), defaulted),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        statusCode(span.getStatus().getCode(), defaulted),
        span.getStatus().getMessage(),
        attributes(span.getAttributesList()),
        events,
        links,
        resource,
        scopeName,
        line,
        null);
  }

  static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static SpanKind kind(Span.SpanKind kind, List<String> defaulted) {
    return switch (kind) {
      case SPAN_KIND_SERVER -> SpanKind.SERVER;
      case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
      // trace.proto: unspecified "MUST" be treated as internal
      case SPAN_KIND_INTERNAL, SPAN_KIND_UNSPECIFIED -> SpanKind.INTERNAL;
      case UNRECOGNIZED -> {
        defaulted.add("kind");
        yield SpanKind.INTERNAL;
      }
    };
  }

  private static StatusCode statusCode(
      io.opentelemetry.proto.trace.v1.Status.StatusCode code, List<String> defaulted) {
    return switch (code) {
      case STATUS_CODE_OK -> StatusCode.OK;
      case STATUS_CODE_ERROR -> StatusCode.ERROR;
      case STATUS_CODE_UNSET -> StatusCode.UNSET;
      case UNRECOGNIZED -> {
        defaulted.add("status.code");
        yield StatusCode.UNSET;
      }
    };
  }

  static Attributes attributes(List<KeyValue> keyValues) {
    if (keyValues.isEmpty()) {
      return Attributes.empty();
    }
    AttributesBuilder builder = Attributes.builder();
    for (KeyValue keyValue : keyValues) {
      put(builder, keyValue.getKey(), keyValue.getValue());
    }
    return builder.build();
  }

  private static void put(AttributesBuilder builder, String key, AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> builder.put(key, value.getStringValue());
      case BOOL_VALUE -> builder.put(key, value.getBoolValue());
      case INT_VALUE -> builder.put(key, value.getIntValue());
      case DOUBLE_VALUE -> builder.put(key, value.getDoubleValue());
      case ARRAY_VALUE -> putArray(builder, key, value.getArrayValue());
      default -> builder.put(AttributeKey.valueKey(key), value(value));
    }
  }

  private static void putArray(AttributesBuilder builder, String key, ArrayValue array) {
    List<AnyValue> values = array.getValuesList();
    AnyValue.ValueCase type = values.isEmpty() ? null : values.getFirst().getValueCase();
    if (type == null || values.stream().anyMatch(v -> v.getValueCase() != type)) {
      builder.put(
          AttributeKey.valueKey(key), value(AnyValue.newBuilder().setArrayValue(array).build()));
      return;
    }
    switch (type) {
      case STRING_VALUE ->
          builder.put(
              AttributeKey.stringArrayKey(key),
              values.stream().map(AnyValue::getStringValue).toList());
      case BOOL_VALUE ->
          builder.put(
              AttributeKey.booleanArrayKey(key),
              values.stream().map(AnyValue::getBoolValue).toList());
      case INT_VALUE ->
          builder.put(
              AttributeKey.longArrayKey(key), values.stream().map(AnyValue::getIntValue).toList());
      case DOUBLE_VALUE ->
          builder.put(
              AttributeKey.doubleArrayKey(key),
              values.stream().map(AnyValue::getDoubleValue).toList());
      default ->
          builder.put(
              AttributeKey.valueKey(key),
              value(AnyValue.newBuilder().setArrayValue(array).build()));
    }
  }

  private static Value<?> value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> Value.of(value.getStringValue());
      case BOOL_VALUE -> Value.of(value.getBoolValue());
      case INT_VALUE -> Value.of(value.getIntValue());
      case DOUBLE_VALUE -> Value.of(value.getDoubleValue());
      case BYTES_VALUE -> Value.of(value.getBytesValue().toByteArray());
      case ARRAY_VALUE ->
          Value.of(
              value.getArrayValue().getValuesList().stream()
                  .<Value<?>>map(ProtoSpans::value)
                  .toList());
      case KVLIST_VALUE ->
          Value.of(
              value.getKvlistValue().getValuesList().stream()
                  .map(
                      kv ->
                          io.opentelemetry.api.common.KeyValue.of(
                              kv.getKey(), value(kv.getValue())))
                  .toArray(io.opentelemetry.api.common.KeyValue[]::new));
      case VALUE_NOT_SET -> Value.empty();
    };
  }
}
