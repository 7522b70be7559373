package dev.parallax.samples.analyze;

import java.util.Random;

/**
 * How long a synthetic task of one program runs: {@code base * (bytes / reference)^exponent}, times
 * a log-normal noise of spread {@code sigma}, where {@code bytes} is what the task reads from its
 * own (not shared) input files.
 *
 * @param base seconds at {@code reference} bytes
 * @param reference bytes at which the task takes {@code base}
 * @param exponent how runtime grows with the bytes read
 * @param sigma standard deviation of the log of the noise
 */
record ToolCost(double base, double reference, double exponent, double sigma) {

  /** A runtime in seconds for a task that reads {@code bytes}. */
  double runtime(double bytes, Random random) {
    double noise = Math.exp(random.nextGaussian() * sigma);
    return base * Math.pow(Math.max(1, bytes) / reference, exponent) * noise;
  }
}
