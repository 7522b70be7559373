package dev.parallax.core.tool;

import java.util.Map;

/**
 * Turns a call's input into a few named numbers that predict its latency or success (a query's
 * length, a file's size, an item count). Must be fast and side-effect free.
 *
 * @param <I> the tool's input type
 */
@FunctionalInterface
public interface FeatureExtractor<I> {

  /** The features of {@code input}; names should be short, lower_snake_case. */
  Map<String, Double> features(I input);
}
