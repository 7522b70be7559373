package dev.parallax.core.internal;

import static dev.parallax.core.trace.ToolSpanAttributes.EXECUTE_TOOL;
import static dev.parallax.core.trace.ToolSpanAttributes.FEATURE_PREFIX;

import io.opentelemetry.api.common.AttributeKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names a call's span needs, made once per tool and feature name rather than once per call: the
 * span's name ({@code execute_tool NAME}) and the attribute key of each feature ({@code
 * parallax.feature.NAME}), whose strings (and the key's hash) were otherwise built anew for every
 * call. At most {@value #MAX_CACHED} of each are kept (names are few; a tool inventing feature
 * names per input must not grow the cache without bound); beyond that they are made each time.
 * Thread-safe. Internal; may change at any time.
 */
final class SpanNames {

  private static final int MAX_CACHED = 4096;

  private static final ConcurrentHashMap<String, AttributeKey<Double>> FEATURE_KEYS =
      new ConcurrentHashMap<>();

  private static final ConcurrentHashMap<String, String> CALL_SPAN_NAMES =
      new ConcurrentHashMap<>();

  private SpanNames() {}

  /** The attribute key of feature {@code name}. */
  static AttributeKey<Double> featureKey(String name) {
    AttributeKey<Double> key = FEATURE_KEYS.get(name);
    if (key == null) {
      key = AttributeKey.doubleKey(FEATURE_PREFIX + name);
      if (FEATURE_KEYS.size() < MAX_CACHED) {
        FEATURE_KEYS.putIfAbsent(name, key);
      }
    }
    return key;
  }

  /** The name of the span of a call of {@code tool}. */
  static String callSpan(String tool) {
    String name = CALL_SPAN_NAMES.get(tool);
    if (name == null) {
      name = EXECUTE_TOOL + " " + tool;
      if (CALL_SPAN_NAMES.size() < MAX_CACHED) {
        CALL_SPAN_NAMES.putIfAbsent(tool, name);
      }
    }
    return name;
  }
}
