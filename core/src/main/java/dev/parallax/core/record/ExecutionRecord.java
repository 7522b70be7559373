package dev.parallax.core.record;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.internal.SortedFeatures;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a tool call as data: what ran, when, how long, how it ended and under what
 * conditions. The engine emits one record per attempt through {@link ExecutionRecordSink}s, and one
 * record with {@linkplain #attempt() attempt} 0 and zero duration for a call that never started
 * (skipped, cancelled, refused arguments, deadline passed first). The last record of a call has
 * {@link #finalAttempt()} set and the call's final {@link #status()}; a call stopped between two
 * attempts (cancelled while it waited to retry) ends with a final record of zero duration numbered
 * as its last attempt. Raw arguments are absent unless the user opted in to recording them.
 *
 * <p>Built with {@link #builder()} (or {@link #toBuilder()} to change a few fields); new fields get
 * a default, so code building records keeps compiling as the type grows. Immutable and thread-safe;
 * equal when every field is equal. The features map is sorted by name.
 */
public final class ExecutionRecord {

  private final String tool;
  private final String callId;
  private final String traceId;
  private final String spanId;
  private final String runId;
  private final Instant start;
  private final Duration duration;
  private final CallStatus status;
  private final @Nullable String errorType;
  private final int attempt;
  private final int attempts;
  private final boolean finalAttempt;
  private final Duration queueWait;
  private final int inFlight;
  private final boolean cacheHit;
  private final boolean preloadHit;
  private final boolean preload;
  private final boolean hedge;
  private final boolean hedged;
  private final @Nullable String fallbackFrom;
  private final @Nullable Duration predictedLatency;
  private final @Nullable Double predictedSuccess;
  private final @Nullable String predictionSource;
  private final Map<String, Double> features;
  private final @Nullable String arguments;

  private ExecutionRecord(Builder b) {
    this.tool = Objects.requireNonNull(b.tool, "tool");
    this.callId = Objects.requireNonNull(b.callId, "callId");
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.runId = b.runId;
    this.start = Objects.requireNonNull(b.start, "start");
    this.duration = b.duration;
    this.status = Objects.requireNonNull(b.status, "status");
    this.errorType = b.errorType;
    this.attempt = b.attempt;
    this.attempts = b.attempts < 0 ? b.attempt : b.attempts;
    this.finalAttempt = b.finalAttempt;
    this.queueWait = b.queueWait;
    this.inFlight = b.inFlight;
    this.cacheHit = b.cacheHit;
    this.preloadHit = b.preloadHit;
    this.preload = b.preload;
    this.hedge = b.hedge;
    this.hedged = b.hedged;
    this.fallbackFrom = b.fallbackFrom;
    this.predictedLatency = b.predictedLatency;
    this.predictedSuccess = b.predictedSuccess;
    this.predictionSource = b.predictionSource;
    this.features = SortedFeatures.of(b.features); // a copy, unless the engine's own already
    this.arguments = b.arguments;
  }

  /**
   * A builder. {@code tool}, {@code callId}, {@code start} and {@code status} are required; the
   * other fields default to: ids and run id {@code ""}, zero durations, attempt 1 of 1 and final,
   * no error, no prediction, no features.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's fields. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The tool that ran the attempt (after a fallback, the alternative). */
  public String tool() {
    return tool;
  }

  /** The call's id. */
  public String callId() {
    return callId;
  }

  /** The trace id, 32 hex digits ({@code ""} if unknown). */
  public String traceId() {
    return traceId;
  }

  /**
   * The call's span id, 16 hex digits ({@code ""} if unknown); every attempt of a call shares it.
   */
  public String spanId() {
    return spanId;
  }

  /** The run's id ({@code ""} if unknown). */
  public String runId() {
    return runId;
  }

  /** When the attempt started; for a call that never started, when it ended. */
  public Instant start() {
    return start;
  }

  /**
   * How long the attempt took: from its start to its outcome (success, failure, or the moment the
   * engine gave up on it). Excludes back-off and other attempts; zero for a call that never
   * started.
   */
  public Duration duration() {
    return duration;
  }

  /**
   * How the attempt ended; for the {@linkplain #finalAttempt() final} record, how the call ended. A
   * failed attempt that is retried is {@link CallStatus#FAILED} or {@link CallStatus#TIMED_OUT}.
   */
  public CallStatus status() {
    return status;
  }

  /** {@code error.type} when the attempt did not succeed, else {@code null}. */
  public @Nullable String errorType() {
    return errorType;
  }

  /** The attempt's number, from 1; 0 for a call that never started. */
  public int attempt() {
    return attempt;
  }

  /** How many attempts the call had made when this record was made (this one included). */
  public int attempts() {
    return attempts;
  }

  /** Whether this is the call's last record: its status is the call's final status. */
  public boolean finalAttempt() {
    return finalAttempt;
  }

  /** Time between the call becoming ready and its first attempt starting. */
  public Duration queueWait() {
    return queueWait;
  }

  /** Calls of its run running when the attempt started, itself included (0 if unknown). */
  public int inFlight() {
    return inFlight;
  }

  /** Whether the value came from the result cache. */
  public boolean cacheHit() {
    return cacheHit;
  }

  /**
   * Whether the value came from a speculative preload: a call the result cache started on a
   * prediction before the agent asked (see {@code dev.parallax.planner.preload.Preloading}), which
   * this call found stored or joined while it ran. Implies {@link #cacheHit()}.
   */
  public boolean preloadHit() {
    return preloadHit;
  }

  /**
   * Whether this is the record of a speculative preload itself: a real execution of the tool that
   * the result cache started on a prediction, before any agent asked for it, outside every run (see
   * {@code dev.parallax.planner.cache.CaffeineResultCacheBuilder#preloadRecords}). Its call id and
   * run id are the preload's own ({@code preload-N}); whether a real call later used its value is
   * not known when the record is made (the real call's record says so: {@link #preloadHit()}).
   * Default {@code false}; records stored before this field existed read as {@code false}.
   */
  public boolean preload() {
    return preload;
  }

  /**
   * Whether this attempt was a hedge: a second attempt started while the call's first still ran
   * (see {@link dev.parallax.core.policy.HedgePolicy}). The attempt that answered a hedged call is
   * the one whose record is {@linkplain #finalAttempt() final} and succeeded; the other ends {@code
   * CANCELLED}.
   */
  public boolean hedge() {
    return hedge;
  }

  /**
   * Whether the call was hedged by the time this attempt ended (on every record after the hedge).
   */
  public boolean hedged() {
    return hedged;
  }

  /** The tool originally called, if another tool ran this attempt. */
  public @Nullable String fallbackFrom() {
    return fallbackFrom;
  }

  /** The latency predicted for the call, if any. */
  public @Nullable Duration predictedLatency() {
    return predictedLatency;
  }

  /** The success probability predicted for the call, if any. */
  public @Nullable Double predictedSuccess() {
    return predictedSuccess;
  }

  /** Where the prediction came from, if any. */
  public @Nullable String predictionSource() {
    return predictionSource;
  }

  /** The call's numeric features by name, sorted by name. */
  public Map<String, Double> features() {
    return features;
  }

  /** The raw arguments as JSON, only when the user opted in. */
  public @Nullable String arguments() {
    return arguments;
  }

  /** Whether the attempt (for the final record: the call) succeeded. */
  public boolean succeeded() {
    return status.isSuccess();
  }

  /** Whether the call never started: no attempt ran. */
  public boolean neverStarted() {
    return attempt == 0;
  }

  /** When the attempt ended. */
  public Instant end() {
    return start.plus(duration);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ExecutionRecord r)) {
      return false;
    }
    return attempt == r.attempt
        && attempts == r.attempts
        && finalAttempt == r.finalAttempt
        && inFlight == r.inFlight
        && cacheHit == r.cacheHit
        && preloadHit == r.preloadHit
        && preload == r.preload
        && hedge == r.hedge
        && hedged == r.hedged
        && tool.equals(r.tool)
        && callId.equals(r.callId)
        && traceId.equals(r.traceId)
        && spanId.equals(r.spanId)
        && runId.equals(r.runId)
        && start.equals(r.start)
        && duration.equals(r.duration)
        && status == r.status
        && Objects.equals(errorType, r.errorType)
        && queueWait.equals(r.queueWait)
        && Objects.equals(fallbackFrom, r.fallbackFrom)
        && Objects.equals(predictedLatency, r.predictedLatency)
        && Objects.equals(predictedSuccess, r.predictedSuccess)
        && Objects.equals(predictionSource, r.predictionSource)
        && features.equals(r.features)
        && Objects.equals(arguments, r.arguments);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        tool,
        callId,
        traceId,
        spanId,
        runId,
        start,
        duration,
        status,
        errorType,
        attempt,
        attempts,
        finalAttempt,
        queueWait,
        inFlight,
        cacheHit,
        preloadHit,
        preload,
        hedge,
        hedged,
        fallbackFrom,
        predictedLatency,
        predictedSuccess,
        predictionSource,
        features,
        arguments);
  }

  @Override
  public String toString() {
    return "ExecutionRecord[tool="
        + tool
        + ", callId="
        + callId
        + ", traceId="
        + traceId
        + ", spanId="
        + spanId
        + ", runId="
        + runId
        + ", start="
        + start
        + ", duration="
        + duration
        + ", status="
        + status
        + ", errorType="
        + errorType
        + ", attempt="
        + attempt
        + ", attempts="
        + attempts
        + ", finalAttempt="
        + finalAttempt
        + ", queueWait="
        + queueWait
        + ", inFlight="
        + inFlight
        + ", cacheHit="
        + cacheHit
        + ", preloadHit="
        + preloadHit
        + (preload ? ", preload=true" : "")
        + ", hedge="
        + hedge
        + ", hedged="
        + hedged
        + ", fallbackFrom="
        + fallbackFrom
        + ", predictedLatency="
        + predictedLatency
        + ", predictedSuccess="
        + predictedSuccess
        + ", predictionSource="
        + predictionSource
        + ", features="
        + features
        + (arguments != null ? ", arguments=(" + arguments.length() + " chars)" : "")
        + "]";
  }

  /**
   * Builds an {@link ExecutionRecord}; see {@link ExecutionRecord#builder()} for the defaults. Not
   * thread-safe.
   */
  public static final class Builder {
    private @Nullable String tool;
    private @Nullable String callId;
    private String traceId = "";
    private String spanId = "";
    private String runId = "";
    private @Nullable Instant start;
    private Duration duration = Duration.ZERO;
    private @Nullable CallStatus status;
    private @Nullable String errorType;
    private int attempt = 1;
    private int attempts = -1; // unset: the attempt number
    private boolean finalAttempt = true;
    private Duration queueWait = Duration.ZERO;
    private int inFlight;
    private boolean cacheHit;
    private boolean preloadHit;
    private boolean preload;
    private boolean hedge;
    private boolean hedged;
    private @Nullable String fallbackFrom;
    private @Nullable Duration predictedLatency;
    private @Nullable Double predictedSuccess;
    private @Nullable String predictionSource;
    private Map<String, Double> features = Map.of();
    private @Nullable String arguments;

    private Builder() {}

    private Builder(ExecutionRecord r) {
      tool = r.tool;
      callId = r.callId;
      traceId = r.traceId;
      spanId = r.spanId;
      runId = r.runId;
      start = r.start;
      duration = r.duration;
      status = r.status;
      errorType = r.errorType;
      attempt = r.attempt;
      attempts = r.attempts;
      finalAttempt = r.finalAttempt;
      queueWait = r.queueWait;
      inFlight = r.inFlight;
      cacheHit = r.cacheHit;
      preloadHit = r.preloadHit;
      preload = r.preload;
      hedge = r.hedge;
      hedged = r.hedged;
      fallbackFrom = r.fallbackFrom;
      predictedLatency = r.predictedLatency;
      predictedSuccess = r.predictedSuccess;
      predictionSource = r.predictionSource;
      features = r.features;
      arguments = r.arguments;
    }

    /** The tool that ran the attempt. Required. */
    public Builder tool(String tool) {
      this.tool = Objects.requireNonNull(tool, "tool");
      return this;
    }

    /** The call's id. Required. */
    public Builder callId(String callId) {
      this.callId = Objects.requireNonNull(callId, "callId");
      return this;
    }

    /** The trace id; default {@code ""}. */
    public Builder traceId(String traceId) {
      this.traceId = Objects.requireNonNull(traceId, "traceId");
      return this;
    }

    /** The call's span id; default {@code ""}. */
    public Builder spanId(String spanId) {
      this.spanId = Objects.requireNonNull(spanId, "spanId");
      return this;
    }

    /** The run's id; default {@code ""}. */
    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    /** When the attempt started. Required. */
    public Builder start(Instant start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** How long the attempt took; default zero. */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /** How the attempt (or, if final, the call) ended. Required. */
    public Builder status(CallStatus status) {
      this.status = Objects.requireNonNull(status, "status");
      return this;
    }

    /** The {@code error.type}; default none. */
    public Builder errorType(@Nullable String errorType) {
      this.errorType = errorType;
      return this;
    }

    /**
     * The attempt's number, from 1, or 0 for a call that never started; default 1.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder attempt(int attempt) {
      if (attempt < 0) {
        throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * How many attempts the call had made; default: the {@linkplain #attempt(int) attempt number}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder attempts(int attempts) {
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** Whether this is the call's last record; default {@code true}. */
    public Builder finalAttempt(boolean finalAttempt) {
      this.finalAttempt = finalAttempt;
      return this;
    }

    /** Time between the call becoming ready and starting; default zero. */
    public Builder queueWait(Duration queueWait) {
      this.queueWait = Objects.requireNonNull(queueWait, "queueWait");
      return this;
    }

    /** Calls running when the attempt started, itself included; default 0 (unknown). */
    public Builder inFlight(int inFlight) {
      this.inFlight = inFlight;
      return this;
    }

    /** Whether the value came from the result cache; default {@code false}. */
    public Builder cacheHit(boolean cacheHit) {
      this.cacheHit = cacheHit;
      return this;
    }

    /**
     * Whether the value came from a speculative preload; default {@code false}. Sets {@link
     * #cacheHit} too if true.
     */
    public Builder preloadHit(boolean preloadHit) {
      this.preloadHit = preloadHit;
      this.cacheHit |= preloadHit;
      return this;
    }

    /**
     * Whether this is the record of a speculative preload itself (see {@link
     * ExecutionRecord#preload()}); default {@code false}.
     */
    public Builder preload(boolean preload) {
      this.preload = preload;
      return this;
    }

    /** Whether the attempt was a hedge; default {@code false}. Sets {@link #hedged} too if true. */
    public Builder hedge(boolean hedge) {
      this.hedge = hedge;
      this.hedged |= hedge;
      return this;
    }

    /** Whether the call was hedged; default {@code false}. */
    public Builder hedged(boolean hedged) {
      this.hedged = hedged;
      return this;
    }

    /** The tool originally called, if another tool ran; default none. */
    public Builder fallbackFrom(@Nullable String fallbackFrom) {
      this.fallbackFrom = fallbackFrom;
      return this;
    }

    /** The predicted latency; default none. */
    public Builder predictedLatency(@Nullable Duration predictedLatency) {
      this.predictedLatency = predictedLatency;
      return this;
    }

    /** The predicted success probability; default none. */
    public Builder predictedSuccess(@Nullable Double predictedSuccess) {
      this.predictedSuccess = predictedSuccess;
      return this;
    }

    /** Where the prediction came from; default none. */
    public Builder predictionSource(@Nullable String predictionSource) {
      this.predictionSource = predictionSource;
      return this;
    }

    /** The call's numeric features by name (copied); default none. */
    public Builder features(Map<String, Double> features) {
      this.features = Objects.requireNonNull(features, "features");
      return this;
    }

    /** The raw arguments as JSON; default none. */
    public Builder arguments(@Nullable String arguments) {
      this.arguments = arguments;
      return this;
    }

    /**
     * The record.
     *
     * @throws NullPointerException if {@code tool}, {@code callId}, {@code start} or {@code status}
     *     is missing
     */
    public ExecutionRecord build() {
      return new ExecutionRecord(this);
    }
  }
}
