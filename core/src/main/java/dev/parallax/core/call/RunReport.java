package dev.parallax.core.call;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A summary of one run: counts by status, elapsed time and per-call timings. Immutable.
 *
 * @param startedAt when the run started
 * @param finishedAt when its last result became final
 * @param counts number of calls by final status (every status present, possibly 0)
 * @param attempts total attempts over all calls
 */
public record RunReport(
    Instant startedAt, Instant finishedAt, Map<CallStatus, Integer> counts, int attempts) {

  /** Copies the counts. */
  public RunReport {
    EnumMap<CallStatus, Integer> all = new EnumMap<>(CallStatus.class);
    for (CallStatus status : CallStatus.values()) {
      all.put(status, counts.getOrDefault(status, 0));
    }
    counts = java.util.Collections.unmodifiableMap(all);
  }

  /** Builds the report of a finished run from its results. */
  public static RunReport of(Instant startedAt, Instant finishedAt, List<CallResult<?>> results) {
    EnumMap<CallStatus, Integer> counts = new EnumMap<>(CallStatus.class);
    int attempts = 0;
    for (CallResult<?> result : results) {
      counts.merge(result.status(), 1, Integer::sum);
      attempts += result.attempts();
    }
    return new RunReport(startedAt, finishedAt, counts, attempts);
  }

  /** Wall time of the run, as measured by the executor's clock. */
  public Duration elapsed() {
    return Duration.between(startedAt, finishedAt);
  }

  /** Number of calls that ended with this status. */
  public int count(CallStatus status) {
    return counts.get(status);
  }

  /** Per-call timings of a run's results, one line per call, for logs and demos. */
  public static String timings(List<CallResult<?>> results) {
    StringBuilder out = new StringBuilder();
    for (CallResult<?> r : results) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-14s %-9s attempts=%d queued=%.1fms ran=%.1fms%n",
              r.callId(),
              r.tool(),
              r.status(),
              r.attempts(),
              r.queueWait().toNanos() / 1e6,
              r.runTime().toNanos() / 1e6));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder(
            String.format(
                Locale.ROOT, "run took %.1fms, %d attempts:", elapsed().toNanos() / 1e6, attempts));
    counts.forEach(
        (status, n) -> {
          if (n > 0) {
            out.append(' ').append(status).append('=').append(n);
          }
        });
    return out.toString();
  }
}
