package dev.parallax.telemetry.record;

import static dev.parallax.core.trace.ToolSpanAttributes.*;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one span as an {@link ExecutionRecord}, whether Parallax wrote it or another OpenTelemetry
 * GenAI source did.
 *
 * <p>A span is a tool call when {@code gen_ai.operation.name} is {@code execute_tool}, or, lacking
 * that attribute, when its name starts with {@code "execute_tool "}. Missing attributes get
 * defaults and are listed in {@link Reading#defaulted()}: the tool name from the span name, the
 * call id from the span id, the status from the span's status (ERROR → FAILED, or TIMED_OUT when
 * {@code error.type} is {@code timeout}), one attempt, no queue wait. A status value this version
 * does not know is read the same way. Thread-safe (stateless).
 */
public final class ToolSpanReader {

  private ToolSpanReader() {}

  /**
   * The outcome of reading one span.
   *
   * @param record the record, or {@code null} when the span was skipped
   * @param skipReason why it was skipped, or {@code null}
   * @param defaulted the fields that were missing or unreadable and got defaults
   */
  public record Reading(
      @Nullable ExecutionRecord record, @Nullable String skipReason, List<String> defaulted) {

    static Reading skipped(String reason) {
      return new Reading(null, reason, List.of());
    }
  }

  /** Whether a span with this name and these attributes is a tool call. */
  public static boolean isToolSpan(String name, Attributes attributes) {
    String operation = attributes.get(OPERATION_NAME);
    return operation != null ? operation.equals(EXECUTE_TOOL) : name.startsWith(EXECUTE_TOOL + " ");
  }

  /**
   * Reads a span.
   *
   * @param traceId 32 hex digits
   * @param spanId 16 hex digits
   * @param name the span name
   * @param startEpochNanos start, in nanoseconds since the epoch
   * @param endEpochNanos end, in nanoseconds since the epoch
   * @param statusError whether the span's status is ERROR
   * @param attributes its attributes
   */
  public static Reading read(
      String traceId,
      String spanId,
      String name,
      long startEpochNanos,
      long endEpochNanos,
      boolean statusError,
      Attributes attributes) {
    if (!isToolSpan(name, attributes)) {
      return Reading.skipped("not a tool span: " + name);
    }
    Fields f = Fields.of(attributes);
    List<String> defaulted = new ArrayList<>(0);
    String tool = f.tool;
    if (tool == null || tool.isEmpty()) {
      tool = name.startsWith(EXECUTE_TOOL + " ") ? name.substring(EXECUTE_TOOL.length() + 1) : "";
      if (tool.isBlank()) {
        return Reading.skipped("tool span without a tool name: " + name);
      }
      defaulted.add(TOOL_NAME.getKey());
    }
    if (endEpochNanos < startEpochNanos) {
      return Reading.skipped("span " + spanId + " ends before it starts");
    }
    // a span is one call: its record is the call's final one, numbered as its last attempt
    int attempts = count(orDefault(f.attempts, 1.0, ATTEMPTS, defaulted));
    ExecutionRecord record =
        ExecutionRecord.builder()
            .tool(tool)
            .callId(orDefault(f.callId, spanId, TOOL_CALL_ID, defaulted))
            .traceId(traceId)
            .spanId(spanId)
            .runId(orDefault(f.runId, "", RUN_ID, defaulted))
            .start(Instant.ofEpochSecond(0, startEpochNanos))
            .duration(Duration.ofNanos(endEpochNanos - startEpochNanos))
            .status(status(f.status, statusError, f.errorType, defaulted))
            .errorType(f.errorType)
            .attempt(attempts)
            .attempts(attempts)
            .queueWait(millis(orDefault(f.queueWaitMs, 0.0, QUEUE_WAIT_MS, defaulted)))
            .inFlight(count(orDefault(f.inFlight, 0.0, IN_FLIGHT, defaulted)))
            .cacheHit(f.cacheHit)
            .fallbackFrom(f.fallbackFrom)
            .predictedLatency(f.predictedLatencyMs == null ? null : millis(f.predictedLatencyMs))
            .predictedSuccess(f.predictedSuccess)
            .predictionSource(f.predictionSource)
            .features(f.features)
            .arguments(f.arguments)
            .build();
    return new Reading(record, null, List.copyOf(defaulted));
  }

  /** The attributes a record needs, read in one pass over the span's attributes. */
  private static final class Fields {
    @Nullable String tool;
    @Nullable String callId;
    @Nullable String runId;
    @Nullable String status;
    @Nullable String errorType;
    @Nullable Double attempts;
    @Nullable Double queueWaitMs;
    @Nullable Double inFlight;
    boolean cacheHit;
    @Nullable String fallbackFrom;
    @Nullable Double predictedLatencyMs;
    @Nullable Double predictedSuccess;
    @Nullable String predictionSource;
    @Nullable String arguments;
    final Map<String, Double> features = new HashMap<>();

    static Fields of(Attributes attributes) {
      Fields f = new Fields();
      attributes.forEach((key, value) -> f.take(key.getKey(), value));
      return f;
    }

    private void take(String key, Object value) {
      String text = value instanceof String string ? string : null;
      Double number = value instanceof Number n ? n.doubleValue() : null;
      switch (key) {
        case "gen_ai.tool.name" -> tool = text;
        case "gen_ai.tool.call.id" -> callId = text;
        case "parallax.run.id" -> runId = text;
        case "parallax.status" -> status = text;
        case "error.type" -> errorType = text;
        case "parallax.attempts" -> attempts = number;
        case "parallax.queue_wait_ms" -> queueWaitMs = number;
        case "parallax.in_flight" -> inFlight = number;
        case "parallax.cache_hit" -> cacheHit = Boolean.TRUE.equals(value);
        case "parallax.fallback_from" -> fallbackFrom = text;
        case "parallax.prediction.latency_ms" -> predictedLatencyMs = number;
        case "parallax.prediction.success" -> predictedSuccess = number;
        case "parallax.prediction.source" -> predictionSource = text;
        case "gen_ai.tool.call.arguments" -> arguments = text;
        default -> {
          if (number != null && key.startsWith(FEATURE_PREFIX)) {
            features.put(key.substring(FEATURE_PREFIX.length()), number);
          }
        }
      }
    }
  }

  private static CallStatus status(
      @Nullable String value,
      boolean statusError,
      @Nullable String errorType,
      List<String> defaulted) {
    if (value != null) {
      try {
        return CallStatus.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        // a status this version does not know: read it from the span status instead
      }
    }
    defaulted.add(STATUS.getKey());
    if (!statusError && errorType == null) {
      return CallStatus.SUCCEEDED;
    }
    return "timeout".equals(errorType) ? CallStatus.TIMED_OUT : CallStatus.FAILED;
  }

  private static <T> T orDefault(
      @Nullable T value, T fallback, AttributeKey<?> key, List<String> defaulted) {
    if (value == null) {
      defaulted.add(key.getKey());
      return fallback;
    }
    return value;
  }

  /** A count clamped to {@code [0, Integer.MAX_VALUE]}; NaN counts as 0. */
  private static int count(double value) {
    return Double.isNaN(value) ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
  }

  private static Duration millis(double ms) {
    if (!(ms > 0) || Double.isInfinite(ms)) {
      return Duration.ZERO; // negative, NaN or infinite times from a foreign source mean nothing
    }
    return Duration.ofNanos((long) Math.min(ms * 1e6, Long.MAX_VALUE));
  }
}
