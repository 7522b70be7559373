package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Execution records of synthetic calls, as telemetry would have recorded them. The trace and span
 * ids are made up: nothing was traced.
 */
final class Records {

  private static final String TRACE = "0123456789abcdef0123456789abcdef";
  private static final String SPAN = "0123456789abcdef";

  private Records() {}

  /** A finished call of {@code tool} that started at {@code start} and took {@code duration}. */
  static ExecutionRecord of(
      String tool,
      String callId,
      Instant start,
      Duration duration,
      boolean succeeded,
      int inFlight,
      Map<String, Double> features) {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId(callId)
        .traceId(TRACE)
        .spanId(SPAN)
        .runId("bench")
        .start(start)
        .duration(duration)
        .status(succeeded ? CallStatus.SUCCEEDED : CallStatus.FAILED)
        .errorType(succeeded ? null : "java.io.IOException")
        .attempts(1)
        .queueWait(Duration.ZERO)
        .inFlight(inFlight)
        .cacheHit(false)
        .features(features)
        .build();
  }

  /** {@code seconds} as a duration. */
  static Duration seconds(double seconds) {
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
