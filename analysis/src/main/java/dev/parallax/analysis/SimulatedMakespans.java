package dev.parallax.analysis;

import java.time.Duration;

/**
 * The makespans the virtual-time simulator gives for an input at a concurrency, each summed over
 * the input's runs.
 *
 * @param fifo ready tasks start in submission (file) order
 * @param learned longest predicted path first, with the learned predictor's estimates
 * @param oracle longest path first, with the true durations
 */
public record SimulatedMakespans(Duration fifo, Duration learned, Duration oracle) {}
