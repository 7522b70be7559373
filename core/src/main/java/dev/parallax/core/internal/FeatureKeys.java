package dev.parallax.core.internal;

import static dev.parallax.core.trace.ToolSpanAttributes.FEATURE_PREFIX;

import io.opentelemetry.api.common.AttributeKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The span attribute key of each feature name ({@code parallax.feature.NAME}), made once per name
 * rather than once per call: a span gets a feature attribute per call, and the key's string and
 * hash were built anew each time. At most {@value #MAX_CACHED} names are kept (feature names are
 * few; a tool inventing names per input must not grow the cache without bound), others get a new
 * key each time. Thread-safe. Internal; may change at any time.
 */
final class FeatureKeys {

  private static final int MAX_CACHED = 4096;

  private static final ConcurrentHashMap<String, AttributeKey<Double>> KEYS =
      new ConcurrentHashMap<>();

  private FeatureKeys() {}

  /** The attribute key of feature {@code name}. */
  static AttributeKey<Double> of(String name) {
    AttributeKey<Double> key = KEYS.get(name);
    if (key == null) {
      key = AttributeKey.doubleKey(FEATURE_PREFIX + name);
      if (KEYS.size() < MAX_CACHED) {
        KEYS.putIfAbsent(name, key);
      }
    }
    return key;
  }
}
