package dev.parallax.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the tool bodies running at once and remembers the peak. Thread-safe. */
final class ConcurrencyGauge {

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  void enter() {
    int now = running.incrementAndGet();
    peak.accumulateAndGet(now, Math::max);
  }

  void exit() {
    running.decrementAndGet();
  }

  /** The most bodies seen running at once since the last reset. */
  int peak() {
    return peak.get();
  }

  void resetPeak() {
    peak.set(0);
  }
}
