package dev.parallax.storage.neighbours;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A small seeded history for the neighbour tests: two tools, sizes over orders of magnitude. */
final class NeighbourData {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private NeighbourData() {}

  /** A record of {@code tool} with {@code features} lasting {@code seconds}; ids from {@code n}. */
  static ExecutionRecord record(long n, String tool, Map<String, Double> features, double seconds) {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId("call-" + n)
        .traceId(String.format("%032x", 0xC0FFEE00000000L + n))
        .spanId(String.format("%016x", n + 1))
        .runId("run-" + n % 3)
        .start(T0.plusMillis(n))
        .duration(Duration.ofNanos(Math.round(seconds * 1e9)))
        .status(CallStatus.SUCCEEDED)
        .attempts(1)
        .queueWait(Duration.ZERO)
        .inFlight(0)
        .cacheHit(false)
        .features(features)
        .build();
  }

  /**
   * {@code perTool} records of "fetch" (latency grows with bytes, a few identical calls) and of
   * "parse" (latency from items and a noisy second feature on another scale).
   */
  static List<ExecutionRecord> history(int perTool, long seed) {
    Random random = new Random(seed);
    List<ExecutionRecord> records = new ArrayList<>();
    long n = 0;
    for (int i = 0; i < perTool; i++) {
      double bytes = i % 10 == 0 ? 4096 : Math.exp(4 + 10 * random.nextDouble());
      double seconds = 0.001 * Math.pow(bytes, 0.5) * Math.exp(0.2 * random.nextGaussian());
      records.add(record(n++, "fetch", Map.of("bytes", bytes), seconds));
      double items = 1 + random.nextInt(1000);
      double depth = random.nextInt(4);
      double parse = 0.01 * items * (1 + depth) * Math.exp(0.3 * random.nextGaussian());
      records.add(record(n++, "parse", Map.of("items", items, "depth", depth), parse));
    }
    return records;
  }

  /** Query features: {@code count} calls of each tool, drawn like the history's. */
  static List<Map.Entry<String, Map<String, Double>>> queries(int count, long seed) {
    Random random = new Random(seed);
    List<Map.Entry<String, Map<String, Double>>> q = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      q.add(Map.entry("fetch", Map.of("bytes", Math.exp(4 + 10 * random.nextDouble()))));
      q.add(
          Map.entry(
              "parse",
              Map.of("items", 1.0 + random.nextInt(1000), "depth", (double) random.nextInt(4))));
    }
    return q;
  }
}
