package dev.parallax.adaptive.limit;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * A backend with capacity {@code C}, run in virtual time by discrete events. A call that starts
 * with {@code n} calls in flight (itself included) takes {@code base × max(1, n / C)} with
 * lognormal noise, and fails with probability {@code min(0.9, 0.5 × max(0, n − C) / C)}. The client
 * is closed-loop with unbounded demand: it keeps as many calls in flight as its limit allows.
 */
final class SimulatedBackend {

  /** Something that chooses the limit from samples. */
  interface Limiter {
    int limit();

    void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed);
  }

  record Outcome(double successesPerSecond, double meanLimit) {}

  private record Done(long endNanos, long startNanos, int inFlight, boolean failed) {}

  static final long BASE_NANOS = 100_000_000L;

  private final int capacity;
  private final long seed;

  SimulatedBackend(int capacity, long seed) {
    this.capacity = capacity;
    this.seed = seed;
  }

  double failureProbability(int inFlight) {
    return Math.min(0.9, 0.5 * Math.max(0, inFlight - capacity) / capacity);
  }

  /** Runs for {@code seconds} of virtual time; counts successes after {@code warmupSeconds}. */
  Outcome run(Limiter limiter, double seconds, double warmupSeconds) {
    Random random = new Random(seed);
    PriorityQueue<Done> running =
        new PriorityQueue<>((a, b) -> Long.compare(a.endNanos(), b.endNanos()));
    long now = 0;
    long end = (long) (seconds * 1e9);
    long warmup = (long) (warmupSeconds * 1e9);
    long successes = 0;
    double limitTime = 0;
    while (now < end) {
      while (running.size() < limiter.limit()) {
        int n = running.size() + 1;
        double noise = Math.exp(0.1 * random.nextGaussian());
        long latency = (long) (BASE_NANOS * Math.max(1.0, (double) n / capacity) * noise);
        boolean failed = random.nextDouble() < failureProbability(n);
        running.add(new Done(now + latency, now, n, failed));
      }
      Done done = running.poll();
      long next = Math.min(done.endNanos(), end);
      if (next > warmup) {
        limitTime += (double) limiter.limit() * (next - Math.max(now, warmup));
      }
      now = done.endNanos();
      if (now > end) {
        break;
      }
      if (!done.failed() && now > warmup) {
        successes++;
      }
      limiter.onSample(done.startNanos(), now - done.startNanos(), done.inFlight(), done.failed());
    }
    double measured = (end - warmup) / 1e9;
    return new Outcome(successes / measured, limitTime / (end - warmup));
  }

  static Limiter fixed(int limit) {
    return new Limiter() {
      @Override
      public int limit() {
        return limit;
      }

      @Override
      public void onSample(long startNanos, long latencyNanos, int inFlight, boolean failed) {}
    };
  }
}
