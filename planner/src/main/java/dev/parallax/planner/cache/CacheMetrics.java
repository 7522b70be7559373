package dev.parallax.planner.cache;

import dev.parallax.core.trace.ToolSpanAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The cache's counters: OpenTelemetry counters per tool, and totals for {@code stats()}. */
final class CacheMetrics {

  /** Instrumentation scope of the planner's metrics. */
  static final String SCOPE = "dev.parallax.planner";

  private final LongCounter hits;
  private final LongCounter misses;
  private final LongCounter uncacheable;
  private final LongAdder hitCount = new LongAdder();
  private final LongAdder missCount = new LongAdder();
  private final LongAdder uncacheableCount = new LongAdder();
  private final LongAdder loadCount = new LongAdder();
  private final LongAdder loadFailureCount = new LongAdder();
  private final Map<String, Attributes> attributes = new ConcurrentHashMap<>();

  CacheMetrics(OpenTelemetry openTelemetry) {
    Meter meter = openTelemetry.getMeter(SCOPE);
    hits =
        meter
            .counterBuilder("parallax.cache.hits")
            .setDescription("Tool calls answered from the result cache or a shared computation")
            .setUnit("{call}")
            .build();
    misses =
        meter
            .counterBuilder("parallax.cache.misses")
            .setDescription("Tool calls that ran their tool and stored its result")
            .setUnit("{call}")
            .build();
    uncacheable =
        meter
            .counterBuilder("parallax.cache.uncacheable")
            .setDescription("Calls of cacheable tools whose input could not be made into a key")
            .setUnit("{call}")
            .build();
  }

  void hit(String tool) {
    hitCount.increment();
    hits.add(1, attributes(tool));
  }

  void miss(String tool) {
    missCount.increment();
    misses.add(1, attributes(tool));
  }

  void uncacheable(String tool) {
    uncacheableCount.increment();
    uncacheable.add(1, attributes(tool));
  }

  void loaded(boolean success) {
    (success ? loadCount : loadFailureCount).increment();
  }

  ResultCacheStats snapshot(long evictions) {
    return new ResultCacheStats(
        hitCount.sum(),
        missCount.sum(),
        uncacheableCount.sum(),
        evictions,
        loadCount.sum(),
        loadFailureCount.sum());
  }

  private Attributes attributes(String tool) {
    return attributes.computeIfAbsent(tool, t -> Attributes.of(ToolSpanAttributes.TOOL_NAME, t));
  }
}
