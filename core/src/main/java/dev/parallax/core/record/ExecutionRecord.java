package dev.parallax.core.record;

import dev.parallax.core.call.CallStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One finished tool call as data: what ran, when, how long, how it ended and under what conditions.
 * Raw arguments are absent unless the user opted in to recording them.
 *
 * <p>Immutable. The features map is sorted by name.
 *
 * @param tool the tool that answered
 * @param callId the call's id
 * @param traceId the trace id, 32 hex digits
 * @param spanId the call span's id, 16 hex digits
 * @param runId the run's id ({@code ""} if unknown)
 * @param start when the call's first attempt started
 * @param duration from its start to its final result
 * @param status how it ended
 * @param errorType {@code error.type} when it did not succeed, else {@code null}
 * @param attempts how many attempts it made
 * @param queueWait time between becoming ready and starting
 * @param inFlight calls of its run running when it started, itself included (0 if unknown)
 * @param cacheHit whether the value came from the result cache
 * @param fallbackFrom the tool originally called, if another tool answered
 * @param predictedLatency the latency predicted when it was queued, if any
 * @param predictedSuccess the success probability predicted, if any
 * @param predictionSource where the prediction came from, if any
 * @param features the call's numeric features by name
 * @param arguments the raw arguments as JSON, only when the user opted in
 */
public record ExecutionRecord(
    String tool,
    String callId,
    String traceId,
    String spanId,
    String runId,
    Instant start,
    Duration duration,
    CallStatus status,
    @Nullable String errorType,
    int attempts,
    Duration queueWait,
    int inFlight,
    boolean cacheHit,
    @Nullable String fallbackFrom,
    @Nullable Duration predictedLatency,
    @Nullable Double predictedSuccess,
    @Nullable String predictionSource,
    Map<String, Double> features,
    @Nullable String arguments) {

  /** Validates and copies. */
  public ExecutionRecord {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(callId, "callId");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(queueWait, "queueWait");
    features = java.util.Collections.unmodifiableMap(new TreeMap<>(features));
  }

  /** Whether the call succeeded. */
  public boolean succeeded() {
    return status.isSuccess();
  }

  /** When the call ended. */
  public Instant end() {
    return start.plus(duration);
  }
}
