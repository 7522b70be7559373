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
    return new ExecutionRecord(
        tool,
        "c" + seq,
        "0123456789abcdef0123456789abcdef",
        "0123456789abcdef",
        "run",
        T0.plusMillis(seq * 10L),
        duration,
        status,
        status.isSuccess() ? null : "java.io.IOException",
        1,
        Duration.ZERO,
        1 + seq % 4,
        false,
        null,
        null,
        null,
        null,
        features,
        null);
  }

  static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
