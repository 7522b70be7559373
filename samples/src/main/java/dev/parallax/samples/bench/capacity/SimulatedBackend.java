package dev.parallax.samples.bench.capacity;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A backend with capacity {@code C}, run in virtual time by discrete events. A call that starts
 * with {@code n} calls in flight (itself included) takes {@code base × max(1, n / C)} with
 * log-normal noise (σ 0.1), and fails with probability {@code min(0.9, 0.5 × max(0, n − C) / C)}:
 * past its capacity it slows down in proportion and starts failing. The client is closed-loop with
 * unbounded demand: it keeps as many calls in flight as its limiter allows.
 *
 * <p>Every run starts its random generator from the same seed, so limiters are compared on the same
 * sequence of random draws. Immutable; {@link #run} is thread-safe.
 */
public final class SimulatedBackend {

  /** Latency of a call with no load: 100 ms. */
  public static final long BASE_NANOS = 100_000_000L;

  /**
   * One finished call.
   *
   * @param startNanos when it started
   * @param latencyNanos how long it took
   * @param inFlight calls in flight when it started, itself included
   * @param failed whether it failed
   */
  public record Sample(long startNanos, long latencyNanos, int inFlight, boolean failed) {}

  /**
   * What a run measured after its warm-up.
   *
   * @param successesPerSecond successful calls per virtual second
   * @param meanLimit the limit averaged over virtual time
   * @param completed calls that finished
   * @param successes of which succeeded
   * @param p95LatencyMs 95th percentile of their latency ({@code NaN} if none finished)
   */
  public record Outcome(
      double successesPerSecond,
      double meanLimit,
      long completed,
      long successes,
      double p95LatencyMs) {

    /** Share of finished calls that succeeded. */
    public double successRate() {
      return completed == 0 ? 0 : (double) successes / completed;
    }
  }

  private record Running(long endNanos, long startNanos, int inFlight, boolean failed) {}

  private final int capacity;
  private final long seed;

  /**
   * A backend of capacity {@code capacity} whose runs draw random numbers from {@code seed}.
   *
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public SimulatedBackend(int capacity, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.seed = seed;
  }

  /** The capacity. */
  public int capacity() {
    return capacity;
  }

  /** The chance that a call fails when it starts with {@code inFlight} calls in flight. */
  public double failureProbability(int inFlight) {
    return Math.min(0.9, 0.5 * Math.max(0, inFlight - capacity) / capacity);
  }

  /**
   * Runs for {@code seconds} of virtual time and measures after {@code warmupSeconds}.
   *
   * @param samples told of every finished call, warm-up included
   */
  public Outcome run(
      Limiter limiter, double seconds, double warmupSeconds, Consumer<Sample> samples) {
    if (!(seconds > warmupSeconds && warmupSeconds >= 0)) {
      throw new IllegalArgumentException(
          "need 0 <= warm-up < run length, was " + warmupSeconds + " and " + seconds);
    }
    Random random = new Random(seed);
    PriorityQueue<Running> running =
        new PriorityQueue<>((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
    long now = 0;
    long end = (long) (seconds * 1e9);
    long warmup = (long) (warmupSeconds * 1e9);
    long successes = 0;
    long completed = 0;
    double limitTime = 0;
    double[] latencies = new double[1024];
    while (now < end) {
      while (running.size() < limiter.limit()) {
        int n = running.size() + 1;
        double noise = Math.exp(0.1 * random.nextGaussian());
        long latency = (long) (BASE_NANOS * Math.max(1.0, (double) n / capacity) * noise);
        boolean failed = random.nextDouble() < failureProbability(n);
        running.add(new Running(now + latency, now, n, failed));
      }
      Running done = running.poll();
      long next = Math.min(done.endNanos(), end);
      if (next > warmup) {
        limitTime += (double) limiter.limit() * (next - Math.max(now, warmup));
      }
      now = done.endNanos();
      if (now > end) {
        break;
      }
      long latency = now - done.startNanos();
      if (now > warmup) {
        if (completed == latencies.length) {
          latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[(int) completed++] = latency / 1e6;
        if (!done.failed()) {
          successes++;
        }
      }
      Sample sample = new Sample(done.startNanos(), latency, done.inFlight(), done.failed());
      samples.accept(sample);
      limiter.onSample(sample.startNanos(), latency, sample.inFlight(), sample.failed());
    }
    double measured = (end - warmup) / 1e9;
    double p95 = Double.NaN;
    if (completed > 0) {
      double[] sorted = Arrays.copyOf(latencies, (int) completed);
      Arrays.sort(sorted);
      p95 = sorted[(int) Math.ceil(0.95 * sorted.length) - 1];
    }
    return new Outcome(successes / measured, limitTime / (end - warmup), completed, successes, p95);
  }
}
