package dev.parallax.telemetry.file;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One span read from a trace file. Ids are lowercase hex; an unspecified span kind reads as {@link
 * SpanKind#INTERNAL}. Immutable.
 *
 * @param traceId 32 hex digits
 * @param spanId 16 hex digits
 * @param parentSpanId 16 hex digits, or {@code ""} for a root span
 * @param name the span name
 * @param kind the span kind
 * @param startEpochNanos start, in nanoseconds since the epoch
 * @param endEpochNanos end, in nanoseconds since the epoch
 * @param statusCode the status
 * @param statusMessage the status description, or {@code ""}
 * @param attributes the span's attributes
 * @param events its events
 * @param links its links
 * @param resource the attributes of the resource that produced it
 * @param scopeName the name of the instrumentation scope that produced it
 * @param line the line of the file it was read from, from 1
 * @param record the tool call it records, or {@code null} if it is not a readable tool span
 */
public record TraceSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    StatusCode statusCode,
    String statusMessage,
    Attributes attributes,
    List<Event> events,
    List<Link> links,
    Attributes resource,
    String scopeName,
    int line,
    @Nullable ExecutionRecord record) {

  /**
   * A span event.
   *
   * @param name its name
   * @param epochNanos when it happened, in nanoseconds since the epoch
   * @param attributes its attributes
   */
  public record Event(String name, long epochNanos, Attributes attributes) {}

  /**
   * A link to another span.
   *
   * @param traceId the linked span's trace id, 32 hex digits
   * @param spanId the linked span's id, 16 hex digits
   * @param attributes the link's attributes
   */
  public record Link(String traceId, String spanId, Attributes attributes) {}

  /** Validates and copies. */
  public TraceSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(statusCode, "statusCode");
    Objects.requireNonNull(statusMessage, "statusMessage");
    Objects.requireNonNull(attributes, "attributes");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(scopeName, "scopeName");
    events = List.copyOf(events);
    links = List.copyOf(links);
  }

  /** Whether it has no parent. */
  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /** Whether it is the span of a whole Parallax run ({@code parallax.run}). */
  public boolean isRun() {
    return name.equals(ToolSpanAttributes.RUN_SPAN_NAME);
  }

  /** Whether it was read as a tool call, that is whether {@link #record()} is not null. */
  public boolean isToolCall() {
    return record != null;
  }

  /** A copy with the given record. */
  TraceSpan withRecord(@Nullable ExecutionRecord record) {
    return new TraceSpan(
        traceId,
        spanId,
        parentSpanId,
        name,
        kind,
        startEpochNanos,
        endEpochNanos,
        statusCode,
        statusMessage,
        attributes,
        events,
        links,
        resource,
        scopeName,
        line,
        record);
  }
}
