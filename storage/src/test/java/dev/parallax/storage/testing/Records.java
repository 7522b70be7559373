package dev.parallax.storage.testing;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.FeatureVectorizer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records for tests: distinct ids from a number, features x, y, z. */
public final class Records {

  /** A fixed instant all tests count from. */
  public static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");

  /** The vectorizer the tests' stores use: features x, y, z, raw values. */
  public static final FeatureVectorizer XYZ = FeatureVectorizer.of(List.of("x", "y", "z"));

  private Records() {}

  /** The trace id of record {@code n}. */
  public static String traceId(long n) {
    return String.format("%032x", 0xABCDEF00000000L + n);
  }

  /** Record {@code n}: tool, start at {@code T0 + n ms}, features x=n, y=n%7, z=1. */
  public static ExecutionRecord record(long n, String tool) {
    return record(n, tool, T0.plusMillis(n), Map.of("x", (double) n, "y", n % 7.0, "z", 1.0));
  }

  /** A record with every optional field set. */
  public static ExecutionRecord record(
      long n, String tool, Instant start, Map<String, Double> features) {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId("call-" + n)
        .traceId(traceId(n))
        .spanId(String.format("%016x", n + 1))
        .runId("run-" + (n / 10))
        .start(start)
        .duration(Duration.ofNanos(1_500_000 + n))
        .status(n % 5 == 4 ? CallStatus.FAILED : CallStatus.SUCCEEDED)
        .errorType(n % 5 == 4 ? "java.io.IOException" : null)
        .attempt(1 + (int) (n % 3))
        .finalAttempt(n % 7 != 5)
        .queueWait(Duration.ofNanos(20_000 + n))
        .inFlight((int) (n % 4))
        .cacheHit(n % 6 == 0)
        .preloadHit(n % 12 == 0)
        .preload(n % 12 == 3)
        .fallbackFrom(n % 8 == 0 ? "other-tool" : null)
        .predictedLatency(n % 2 == 0 ? Duration.ofMillis(3) : null)
        .predictedSuccess(n % 2 == 0 ? 0.875 : null)
        .predictionSource(n % 2 == 0 ? "model" : null)
        .features(features)
        .arguments(n % 3 == 0 ? "{\"q\":\"item " + n + "\"}" : null)
        .build();
  }

  /** A record with features only. */
  public static ExecutionRecord withFeatures(long n, String tool, double x, double y, double z) {
    Map<String, Double> f = new HashMap<>();
    f.put("x", x);
    f.put("y", y);
    f.put("z", z);
    return record(n, tool, T0.plusMillis(n), f);
  }
}
