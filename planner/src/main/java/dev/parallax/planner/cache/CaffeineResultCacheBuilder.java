package dev.parallax.planner.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.planner.internal.CanonicalKey;
import dev.parallax.planner.preload.Preloading;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link CaffeineResultCache}; start with {@link CaffeineResultCache#builder()}. Not
 * thread-safe. Every setter validates its value and names it in the exception.
 */
public final class CaffeineResultCacheBuilder {

  /** Results stored at most when no bound is set. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  /** Time to live of a result when neither the tool nor the builder says otherwise. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(10);

  private long maximumSize = -1;
  private long maximumWeight = -1;
  private Duration defaultTimeToLive = DEFAULT_TIME_TO_LIVE;
  private final Map<String, Duration> timeToLive = new HashMap<>();
  private Ticker ticker = Ticker.systemTicker();
  private @Nullable Executor executor;
  private OpenTelemetry openTelemetry = OpenTelemetry.noop();
  private Runnable onJoin = () -> {};
  private @Nullable Preloading preloading;
  private @Nullable AdmissionControl preloadAdmission;
  private @Nullable ExecutionRecordSink preloadRecords;

  CaffeineResultCacheBuilder() {}

  /**
   * Stores at most about this many results (default {@value #DEFAULT_MAXIMUM_SIZE} when no weight
   * bound is set either); Caffeine chooses which to evict. Not combinable with {@link
   * #maximumWeight}.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException if {@link #maximumWeight} was set
   */
  public CaffeineResultCacheBuilder maximumSize(long maximumSize) {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("maximumSize must be >= 0, was " + maximumSize);
    }
    if (maximumWeight >= 0) {
      throw new IllegalStateException(
          "maximumSize("
              + maximumSize
              + ") cannot be combined with maximumWeight("
              + maximumWeight
              + ")");
    }
    this.maximumSize = maximumSize;
    return this;
  }

  /**
   * Bounds the stored results by weight instead of number. The weight of a result is the number of
   * characters of its key (the tool's name and its arguments as canonical JSON) plus those of its
   * value written as JSON, so the bound is roughly the text the cache holds, in characters; a value
   * Jackson cannot write weighs as much as its key. Weighing writes each new value once more as
   * JSON. Not combinable with {@link #maximumSize}.
   *
   * @throws IllegalArgumentException if negative
   * @throws IllegalStateException if {@link #maximumSize} was set
   */
  public CaffeineResultCacheBuilder maximumWeight(long maximumWeight) {
    if (maximumWeight < 0) {
      throw new IllegalArgumentException("maximumWeight must be >= 0, was " + maximumWeight);
    }
    if (maximumSize >= 0) {
      throw new IllegalStateException(
          "maximumWeight("
              + maximumWeight
              + ") cannot be combined with maximumSize("
              + maximumSize
              + ")");
    }
    this.maximumWeight = maximumWeight;
    return this;
  }

  /**
   * How long a result is reused after its tool returned, for tools without a time to live of their
   * own (default {@link #DEFAULT_TIME_TO_LIVE}, 10 minutes).
   *
   * @throws IllegalArgumentException if zero or negative
   */
  public CaffeineResultCacheBuilder defaultTimeToLive(Duration timeToLive) {
    this.defaultTimeToLive = positive("defaultTimeToLive", timeToLive);
    return this;
  }

  /**
   * How long a result of the named tool is reused after the tool returned. Setting a tool again
   * replaces its earlier value.
   *
   * @throws IllegalArgumentException if the name is blank or the duration zero or negative
   */
  public CaffeineResultCacheBuilder timeToLive(String toolName, Duration timeToLive) {
    Objects.requireNonNull(toolName, "toolName");
    if (toolName.isBlank()) {
      throw new IllegalArgumentException("toolName must not be blank, was '" + toolName + "'");
    }
    this.timeToLive.put(toolName, positive("timeToLive of tool '" + toolName + "'", timeToLive));
    return this;
  }

  /** The time source of expiry (default {@link Ticker#systemTicker()}); tests give a fake one. */
  public CaffeineResultCacheBuilder ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /**
   * Where Caffeine runs its maintenance: evictions and expirations (default Caffeine's, {@code
   * ForkJoinPool.commonPool()}). Tools never run on it; give {@code Runnable::run} to evict on the
   * calling thread in tests.
   */
  public CaffeineResultCacheBuilder executor(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Records the hit, miss and uncacheable counters with this OpenTelemetry's meter (default {@link
   * OpenTelemetry#noop()}). {@code GlobalOpenTelemetry} is never used implicitly.
   */
  public CaffeineResultCacheBuilder openTelemetry(OpenTelemetry openTelemetry) {
    this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    return this;
  }

  /**
   * For tests: runs in a caller that found an identical call under way, just before it waits for
   * it, so that a test knows the caller shares that computation whenever the computation ends.
   */
  CaffeineResultCacheBuilder onJoin(Runnable onJoin) {
    this.onJoin = Objects.requireNonNull(onJoin, "onJoin");
    return this;
  }

  /**
   * Turns speculative preloading on with these options; default off. Add the cache's {@link
   * CaffeineResultCache#preloadListener()} to the executor so that preloads yield to queued real
   * calls.
   */
  public CaffeineResultCacheBuilder preloading(Preloading preloading) {
    this.preloading = Objects.requireNonNull(preloading, "preloading");
    return this;
  }

  /**
   * Makes every preload take a permit of this admission control — give the one the executor uses
   * ({@code ToolExecutor.Builder.admissionControl}, for example an {@code
   * AdaptiveAdmissionControl}) — before it starts, as a run of its own with one call, and give it
   * back when its body ends. Limits shared across runs (adaptive limits, a cluster's permits) then
   * count preloads like real calls, and a tool at its limit is not preloaded (counted in {@link
   * dev.parallax.planner.preload.PreloadStats#skippedYield()}). Limits counted within one run (the
   * executor's {@code toolConcurrency}) cannot see preloads. Default: none, preloads are bounded
   * only by {@link Preloading}'s own limits. The facade sets it to the executor's admission
   * control.
   */
  public CaffeineResultCacheBuilder preloadAdmission(AdmissionControl admission) {
    this.preloadAdmission = Objects.requireNonNull(admission, "admission");
    return this;
  }

  /**
   * Gives every preload's {@link dev.parallax.core.record.ExecutionRecord} to this sink — give the
   * one the executor uses ({@code ToolExecutor.Builder.recordSink}), so that the history, the
   * metrics and the latency model see what preloading ran and cost. Default: none, preloads leave
   * no record (only their span). The facade sets it to the executor's record sink.
   *
   * <p>A preload leaves one record when its tool's call ends, on the preload's own thread and after
   * its span ended (so a slow sink never delays a real call waiting for the value): {@linkplain
   * dev.parallax.core.record.ExecutionRecord#preload() preload} {@code true}; the preload's id
   * ({@code preload-N}) as both call id and run id (a preload is a run of its own with one call and
   * one attempt, in flight 1); the tool's {@linkplain dev.parallax.core.tool.Tool#features
   * features} of the input, as a real call's record has; the duration of the tool's call on the
   * cache's {@linkplain #ticker ticker}; the preload span's trace and span ids when tracing is on;
   * status {@code SUCCEEDED} when the tool returned (even if the preload was cancelled meanwhile
   * and its value not kept), {@code CANCELLED} when it ended by throwing after the preload was
   * cancelled (the duration is then only how long it ran), else {@code FAILED}. Whether a real call
   * used the value is not known then and is not in this record: the real call's own record says so
   * ({@code preloadHit}). No prediction and no raw arguments are recorded.
   *
   * <p>The latency model learns from these records by default: they are real executions of the tool
   * with real inputs, and the real call a preload answered is a cache hit that the model ignores,
   * so without them every preloaded execution would be lost to it. An {@code AdaptivePredictor}
   * treats a cancelled preload as it treats a cancelled real attempt: a censored sample that only
   * pushes the upper estimate up, never an average. A sink that throws is logged naming the seam
   * and counted in {@link dev.parallax.planner.preload.PreloadStats#seamFailures()}; the preload
   * and the real calls are not affected. Without {@link #preloading} this option does nothing.
   */
  public CaffeineResultCacheBuilder preloadRecords(ExecutionRecordSink sink) {
    this.preloadRecords = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /** Builds the cache. The builder may be used again; later changes do not affect this cache. */
  public CaffeineResultCache build() {
    Map<String, Duration> perTool = Map.copyOf(timeToLive);
    Duration fallback = defaultTimeToLive;
    Caffeine<CanonicalKey, Outcome> caffeine =
        Caffeine.newBuilder()
            .ticker(ticker)
            .recordStats()
            .expireAfter(
                Expiry.writing(
                    (CanonicalKey key, Outcome value) ->
                        perTool.getOrDefault(key.tool(), fallback)));
    if (executor != null) {
      caffeine.executor(executor);
    }
    boolean weighValues = maximumWeight >= 0;
    if (weighValues) {
      caffeine
          .maximumWeight(maximumWeight)
          .weigher((CanonicalKey key, Outcome value) -> value.weight());
    } else {
      caffeine.maximumSize(maximumSize >= 0 ? maximumSize : DEFAULT_MAXIMUM_SIZE);
    }
    Cache<CanonicalKey, Outcome> values = caffeine.build();
    CaffeineResultCache cache =
        new CaffeineResultCache(values, weighValues, new CacheMetrics(openTelemetry), onJoin);
    if (preloading != null) {
      cache.preloading(preloading, openTelemetry, ticker, preloadAdmission, preloadRecords);
    }
    return cache;
  }

  private static Duration positive(String what, Duration value) {
    Objects.requireNonNull(value, what);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + value);
    }
    return value;
  }
}
