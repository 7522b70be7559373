package dev.parallax.core.call;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A summary of one run: counts by status, elapsed time and per-call timings. Immutable. */
public final class RunReport {

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

  private final Instant startedAt;
  private final Instant finishedAt;
  private final Map<CallStatus, Integer> counts;
  private final int attempts;
  private final List<CallResult<?>> results;

  private RunReport(
      Instant startedAt,
      Instant finishedAt,
      Map<CallStatus, Integer> counts,
      int attempts,
      List<CallResult<?>> results) {
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    this.counts = counts;
    this.attempts = attempts;
    this.results = results;
  }

  /**
   * Builds the report of a finished run from its results (kept, not copied: do not change them).
   */
  public static RunReport of(Instant startedAt, Instant finishedAt, List<CallResult<?>> results) {
    java.util.Objects.requireNonNull(startedAt, "startedAt");
    java.util.Objects.requireNonNull(finishedAt, "finishedAt");
    java.util.Objects.requireNonNull(results, "results");
    EnumMap<CallStatus, Integer> counts = new EnumMap<>(CallStatus.class);
    for (CallStatus status : CallStatus.values()) {
      counts.put(status, 0);
    }
    int attempts = 0;
    for (CallResult<?> r : results) {
      counts.merge(r.status(), 1, Integer::sum);
      attempts += r.attempts();
    }
    return new RunReport(
        startedAt, finishedAt, Collections.unmodifiableMap(counts), attempts, results);
  }

  /** When the run started. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When its last result became final. */
  public Instant finishedAt() {
    return finishedAt;
  }

  /** Number of calls by final status (every status present, possibly 0). */
  public Map<CallStatus, Integer> counts() {
    return counts;
  }

  /** Total attempts over all calls. */
  public int attempts() {
    return attempts;
  }

  /** The timing of every call, in call order. */
  public List<CallTiming> calls() {
    CallTiming[] timings = new CallTiming[results.size()];
    for (int i = 0; i < timings.length; i++) {
      CallResult<?> r = results.get(i);
      timings[i] =
          new CallTiming(
              r.callId(), r.tool(), r.status(), r.attempts(), r.queueWait(), r.runTime());
    }
    return List.of(timings);
  }

  /** Wall time of the run, as measured by the executor's clock. */
  public Duration elapsed() {
    return Duration.between(startedAt, finishedAt);
  }

  /** Number of calls that ended with this status. */
  public int count(CallStatus status) {
    java.util.Objects.requireNonNull(status, "status");
    return counts.get(status);
  }

  /** The per-call timings as a table, one line per call, for logs and demos. */
  public String timingTable() {
    StringBuilder out = new StringBuilder();
    for (CallTiming t : calls()) {
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
