package dev.parallax.core.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
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
 * @param calls the timing of every call, in call order
 */
public record RunReport(
    Instant startedAt,
    Instant finishedAt,
    Map<CallStatus, Integer> counts,
    int attempts,
    List<CallTiming> calls) {

  /**
   * The timing of one call.
   *
   * @param callId the call's id
   * @param tool the tool that produced the result
   * @param status how it ended
   * @param attempts how many attempts it made
   * @param queueWait from becoming ready to its first start
   * @param runTime from its first start to its end
   */
  public record CallTiming(
      String callId,
      String tool,
      CallStatus status,
      int attempts,
      Duration queueWait,
      Duration runTime) {}

  /** Copies the counts and timings. */
  public RunReport {
    EnumMap<CallStatus, Integer> all = new EnumMap<>(CallStatus.class);
    for (CallStatus status : CallStatus.values()) {
      all.put(status, counts.getOrDefault(status, 0));
    }
    counts = Collections.unmodifiableMap(all);
    calls = List.copyOf(calls);
  }

  /** Builds the report of a finished run from its results. */
  public static RunReport of(Instant startedAt, Instant finishedAt, List<CallResult<?>> results) {
    EnumMap<CallStatus, Integer> counts = new EnumMap<>(CallStatus.class);
    int attempts = 0;
    CallTiming[] timings = new CallTiming[results.size()];
    for (int i = 0; i < timings.length; i++) {
      CallResult<?> r = results.get(i);
      counts.merge(r.status(), 1, Integer::sum);
      attempts += r.attempts();
      timings[i] =
          new CallTiming(
              r.callId(), r.tool(), r.status(), r.attempts(), r.queueWait(), r.runTime());
    }
    return new RunReport(startedAt, finishedAt, counts, attempts, List.of(timings));
  }

  /** Wall time of the run, as measured by the executor's clock. */
  public Duration elapsed() {
    return Duration.between(startedAt, finishedAt);
  }

  /** Number of calls that ended with this status. */
  public int count(CallStatus status) {
    return counts.get(status);
  }

  /** The per-call timings as a table, one line per call, for logs and demos. */
  public String timingTable() {
    StringBuilder out = new StringBuilder();
    for (CallTiming t : calls) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-14s %-9s attempts=%d queued=%.1fms ran=%.1fms%n",
              t.callId(),
              t.tool(),
              t.status(),
              t.attempts(),
              t.queueWait().toNanos() / 1e6,
              t.runTime().toNanos() / 1e6));
    }
    return out.toString();
  }

  /** One line: elapsed time, attempts and the non-zero counts by status. */
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
