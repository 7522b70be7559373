package dev.parallax.samples.bench.workload;

import java.util.Objects;

/**
 * What every workload is given.
 *
 * @param seed the seed every random choice derives from
 * @param sizes how much work to do
 * @param progress told how far the workload has got
 */
public record WorkloadContext(long seed, Sizes sizes, ProgressListener progress) {

  /** Checks the fields. */
  public WorkloadContext {
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(progress, "progress");
  }

  /**
   * A seed for one use within a workload, derived from the run's seed, so that changing one use
   * (for example the number of test graphs) does not change the random numbers of another.
   */
  public long seedFor(String use) {
    long h = seed * 0x9E3779B97F4A7C15L + use.hashCode();
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }
}
