package dev.parallax.adaptive;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Builds synthetic execution records for tests. */
final class Records {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Records() {}

  static ExecutionRecord record(
      String tool, Duration duration, boolean success, Map<String, Double> features, int seq) {
    return record(
        tool, duration, success ? CallStatus.SUCCEEDED : CallStatus.FAILED, features, seq);
  }

  static ExecutionRecord record(
      String tool, Duration duration, CallStatus status, Map<String, Double> features, int seq) {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId("c" + seq)
        .traceId("0123456789abcdef0123456789abcdef")
        .spanId("0123456789abcdef")
        .runId("run")
        .start(T0.plusMillis(seq * 10L))
        .duration(duration)
        .status(status)
        .errorType(status.isSuccess() ? null : "java.io.IOException")
        .attempts(1)
        .queueWait(Duration.ZERO)
        .inFlight(1 + seq % 4)
        .cacheHit(false)
        .features(features)
        .build();
  }

  static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
