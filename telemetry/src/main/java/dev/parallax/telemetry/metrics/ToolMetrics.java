package dev.parallax.telemetry.metrics;

import static dev.parallax.core.trace.ToolSpanAttributes.*;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The metrics of tool calls, recorded from the engine's execution records ({@link #recordEnded}):
 *
 * <ul>
 *   <li>{@value #DURATION}: histogram of attempt durations (each attempt's own latency) in seconds,
 *       by {@code gen_ai.tool.name} and {@code error.type};
 *   <li>{@value #IN_FLIGHT}: calls running now (over all tools: a fallback may change a call's tool
 *       while it runs);
 *   <li>{@value #RETRIES}, {@value #TIMEOUTS}, {@value #CACHE_HITS}, {@value #FALLBACKS}: counters
 *       by tool;
 *   <li>{@value #DROPPED}: execution records dropped (their subscribers stuck, the processor shut
 *       down or its thread dead);
 *   <li>{@value #BACKPRESSURE_WAITS}: record emits that waited for room in the record queue;
 *   <li>{@value #SUBSCRIBER_FAILURES}: record subscriber calls that threw;
 *   <li>{@value #RECORDS_QUEUED}: records waiting for the subscribers now.
 * </ul>
 *
 * <p>A speculative preload's record (a call the result cache started on a prediction, before the
 * agent asked: {@link ExecutionRecord#preload()}) adds {@link #PRELOAD} {@code =true} to the
 * attributes of its duration and counters, so that dashboards can tell preloads from the agent's
 * own calls; other records do not carry the attribute.
 *
 * <p>Recording never blocks. Thread-safe.
 */
public final class ToolMetrics {

  /**
   * {@code parallax.preload}: {@code true} on the metrics of speculative preloads, absent on all
   * others (the same key the preload's span carries).
   */
  public static final AttributeKey<Boolean> PRELOAD = AttributeKey.booleanKey("parallax.preload");

  /** Histogram of tool call durations, in seconds. */
  public static final String DURATION = "gen_ai.execute_tool.duration";

  /** Tool calls running now. */
  public static final String IN_FLIGHT = "parallax.tool.calls_in_flight";

  /** Attempts beyond the first. */
  public static final String RETRIES = "parallax.tool.retries";

  /** Calls that ended TIMED_OUT. */
  public static final String TIMEOUTS = "parallax.tool.timeouts";

  /** Calls answered from the result cache. */
  public static final String CACHE_HITS = "parallax.tool.cache_hits";

  /** Calls answered by a fallback tool. */
  public static final String FALLBACKS = "parallax.tool.fallbacks";

  /** Execution records dropped: never delivered to their subscribers. */
  public static final String DROPPED = "parallax.records.dropped";

  /** Tool span ends that waited for room in the record queue (back-pressure). */
  public static final String BACKPRESSURE_WAITS = "parallax.records.backpressure_waits";

  /** Calls of record subscribers that threw. */
  public static final String SUBSCRIBER_FAILURES = "parallax.records.subscriber_failures";

  /** Records waiting for their subscribers now. */
  public static final String RECORDS_QUEUED = "parallax.records.queued";

  private static final List<Double> BUCKETS =
      List.of(
          0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0);

  private final DoubleHistogram duration;

  /**
   * Calls running now. Counted here and observed by the SDK when it collects (an asynchronous
   * up-down counter) rather than added to a synchronous one on every span start and end: those run
   * in the engine's serialized events, and a sum costs an attributes lookup in the SDK each time.
   */
  private final LongAdder inFlight = new LongAdder();

  private final LongCounter retries;
  private final LongCounter timeouts;
  private final LongCounter cacheHits;
  private final LongCounter fallbacks;
  private final LongCounter dropped;
  private final LongCounter backpressureWaits;
  private final LongCounter subscriberFailures;
  private final Meter meter;

  /**
   * The {@code gen_ai.tool.name} attributes of each tool seen, so a record costs no attributes
   * object; at most {@value #MAX_CACHED_TOOLS} tools are kept, others get a new one each time.
   */
  private final ConcurrentHashMap<String, Attributes> byToolCache = new ConcurrentHashMap<>();

  /** The same for preloads: {@code gen_ai.tool.name} and {@link #PRELOAD}. */
  private final ConcurrentHashMap<String, Attributes> preloadCache = new ConcurrentHashMap<>();

  private static final int MAX_CACHED_TOOLS = 1024;

  /** Creates the instruments on {@code meter}. */
  public ToolMetrics(Meter meter) {
    this.meter = meter;
    duration =
        meter
            .histogramBuilder(DURATION)
            .setUnit("s")
            .setDescription("Duration of tool calls")
            .setExplicitBucketBoundariesAdvice(BUCKETS)
            .build();
    meter
        .upDownCounterBuilder(IN_FLIGHT)
        .setUnit("{call}")
        .setDescription("Tool calls running")
        .buildWithCallback(m -> m.record(inFlight.sum()));
    retries = counter(meter, RETRIES, "{attempt}", "Attempts beyond the first");
    timeouts = counter(meter, TIMEOUTS, "{call}", "Tool calls that timed out");
    cacheHits = counter(meter, CACHE_HITS, "{call}", "Tool calls answered from the cache");
    fallbacks = counter(meter, FALLBACKS, "{call}", "Tool calls answered by a fallback tool");
    dropped =
        counter(meter, DROPPED, "{record}", "Execution records never delivered to subscribers");
    backpressureWaits =
        counter(
            meter,
            BACKPRESSURE_WAITS,
            "{span}",
            "Tool span ends that waited for room in the record queue");
    subscriberFailures =
        counter(meter, SUBSCRIBER_FAILURES, "{call}", "Record subscriber calls that threw");
  }

  private static LongCounter counter(Meter meter, String name, String unit, String description) {
    return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
  }

  /** A tool call started. */
  public void callStarted() {
    inFlight.increment();
  }

  /** A tool call stopped running (its span ended). */
  public void callStopped() {
    inFlight.decrement();
  }

  /**
   * An execution record arrived: an attempt's duration, by tool and error type; a retry for every
   * attempt beyond the first; a timeout, cache hit or fallback from a call's final record. A call
   * that never started records nothing but its timeout. Does not touch the in-flight count.
   */
  public void recordEnded(ExecutionRecord record) {
    String tool = record.tool();
    boolean preload = record.preload();
    Attributes byTool = preload ? preloadOf(tool) : byTool(tool);
    if (record.attempt() > 0) {
      String errorType = record.errorType();
      duration.record(
          record.duration().toNanos() / 1e9,
          errorType == null
              ? byTool
              : preload
                  ? Attributes.of(TOOL_NAME, tool, ERROR_TYPE, errorType, PRELOAD, true)
                  : Attributes.of(TOOL_NAME, tool, ERROR_TYPE, errorType));
      if (record.attempt() > 1) {
        retries.add(1, byTool);
      }
    }
    if (!record.finalAttempt()) {
      return;
    }
    if (record.status() == CallStatus.TIMED_OUT) {
      timeouts.add(1, byTool);
    }
    if (record.cacheHit()) {
      cacheHits.add(1, byTool);
    }
    if (record.fallbackFrom() != null) {
      fallbacks.add(1, byTool);
    }
  }

  private Attributes byTool(String tool) {
    Attributes cached = byToolCache.get(tool);
    if (cached != null) {
      return cached;
    }
    Attributes made = Attributes.of(TOOL_NAME, tool);
    if (byToolCache.size() < MAX_CACHED_TOOLS) {
      byToolCache.putIfAbsent(tool, made);
    }
    return made;
  }

  private Attributes preloadOf(String tool) {
    Attributes cached = preloadCache.get(tool);
    if (cached != null) {
      return cached;
    }
    Attributes made = Attributes.of(TOOL_NAME, tool, PRELOAD, true);
    if (preloadCache.size() < MAX_CACHED_TOOLS) {
      preloadCache.putIfAbsent(tool, made);
    }
    return made;
  }

  /**
   * A tool call ended, as read from its span (in-flight count, duration, counters).
   *
   * @param tool the tool that answered
   * @param seconds its duration
   * @param errorType its {@code error.type}, or {@code null} on success
   * @param status its final status name, or {@code null} if unknown
   * @param attempts its attempts
   * @param cacheHit whether the cache answered
   * @param fallback whether another tool answered
   */
  public void callEnded(
      String tool,
      double seconds,
      @Nullable String errorType,
      @Nullable String status,
      long attempts,
      boolean cacheHit,
      boolean fallback) {
    Attributes byTool = Attributes.of(TOOL_NAME, tool);
    inFlight.decrement();
    duration.record(
        seconds,
        errorType == null ? byTool : Attributes.of(TOOL_NAME, tool, ERROR_TYPE, errorType));
    if (attempts > 1) {
      retries.add(attempts - 1, byTool);
    }
    if ("TIMED_OUT".equals(status)) {
      timeouts.add(1, byTool);
    }
    if (cacheHit) {
      cacheHits.add(1, byTool);
    }
    if (fallback) {
      fallbacks.add(1, byTool);
    }
  }

  /** An execution record was dropped. */
  public void recordDropped() {
    dropped.add(1);
  }

  /** {@code n} execution records were dropped. */
  public void recordsDropped(long n) {
    if (n > 0) {
      dropped.add(n);
    }
  }

  /** The end of a tool span waited for room in the record queue. */
  public void backpressureWait() {
    backpressureWaits.add(1);
  }

  /** A record subscriber threw. */
  public void subscriberFailed() {
    subscriberFailures.add(1);
  }

  /** Reports {@code queued} as {@value #RECORDS_QUEUED} each time metrics are collected. */
  public void observeQueue(LongSupplier queued) {
    meter
        .gaugeBuilder(RECORDS_QUEUED)
        .ofLongs()
        .setUnit("{record}")
        .setDescription("Execution records waiting for their subscribers")
        .buildWithCallback(m -> m.record(queued.getAsLong()));
  }
}
