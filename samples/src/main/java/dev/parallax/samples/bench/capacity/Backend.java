package dev.parallax.samples.bench.capacity;

import java.util.List;

/**
 * A backend with a capacity that a closed-loop client drives as hard as its {@link Limiter} allows:
 * it keeps exactly {@code limiter.limit()} calls in flight, starting a new call as soon as one
 * ends.
 */
public interface Backend {

  /** The short name used in the report ({@code http}, {@code queue}). */
  String name();

  /** The workers at the start of a run (the capacity that a run may halve). */
  int workers();

  /**
   * Runs the client against the backend and measures after the warm-up.
   *
   * @throws IllegalStateException if the backend cannot be run (for example its server fails)
   */
  Outcome run(Limiter limiter, Schedule schedule);

  /**
   * How long a run lasts and what happens in it. Seconds are virtual for a simulated backend and
   * real for a real one.
   *
   * @param seconds length of the run
   * @param warmupSeconds start of the run not counted in the totals
   * @param halveAtSeconds when the backend loses half its workers, or {@code NaN} for never
   * @param binSeconds width of the bins of {@link Outcome#binThroughput()}
   */
  record Schedule(double seconds, double warmupSeconds, double halveAtSeconds, double binSeconds) {

    /** Checks the values. */
    public Schedule {
      if (!(seconds > warmupSeconds && warmupSeconds >= 0 && binSeconds > 0)) {
        throw new IllegalArgumentException(
            "need 0 <= warm-up < run length and bins > 0, was "
                + warmupSeconds
                + ", "
                + seconds
                + ", "
                + binSeconds);
      }
    }

    /** A run without halving. */
    public static Schedule steady(double seconds, double warmupSeconds) {
      return new Schedule(seconds, warmupSeconds, Double.NaN, seconds);
    }

    /** Whether the backend halves during the run. */
    public boolean halves() {
      return !Double.isNaN(halveAtSeconds);
    }
  }

  /**
   * What a run measured after its warm-up.
   *
   * @param successesPerSecond successful calls per second
   * @param meanLimit the limit averaged over the measured calls' starts
   * @param completed calls that finished (succeeded, failed, timed out or were rejected)
   * @param successes of which succeeded
   * @param p95LatencyMs 95th percentile of their latency ({@code NaN} if none finished)
   * @param binThroughput successful calls per second in each bin from the start of the run (warm-up
   *     included), by the time they finished
   */
  record Outcome(
      double successesPerSecond,
      double meanLimit,
      long completed,
      long successes,
      double p95LatencyMs,
      List<Double> binThroughput) {

    /** Copies the bins. */
    public Outcome {
      binThroughput = List.copyOf(binThroughput);
    }

    /** Share of finished calls that succeeded. */
    public double successRate() {
      return completed == 0 ? 0 : (double) successes / completed;
    }
  }
}
