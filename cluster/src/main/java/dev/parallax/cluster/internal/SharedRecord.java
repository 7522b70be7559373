package dev.parallax.cluster.internal;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionRecord} as it travels between members (the record itself is not serializable).
 * The call's raw arguments are left out: they may hold secrets and the models do not use them.
 * Internal; may change at any time.
 */
public final class SharedRecord implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final String member;
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
  private final @Nullable String fallbackFrom;
  private final @Nullable Duration predictedLatency;
  private final @Nullable Double predictedSuccess;
  private final @Nullable String predictionSource;
  private final HashMap<String, Double> features;

  /**
   * Copies a record.
   *
   * @param member the UUID of the member it was made on
   * @param r the record
   */
  public SharedRecord(String member, ExecutionRecord r) {
    this.member = member;
    this.tool = r.tool();
    this.callId = r.callId();
    this.traceId = r.traceId();
    this.spanId = r.spanId();
    this.runId = r.runId();
    this.start = r.start();
    this.duration = r.duration();
    this.status = r.status();
    this.errorType = r.errorType();
    this.attempt = r.attempt();
    this.attempts = r.attempts();
    this.finalAttempt = r.finalAttempt();
    this.queueWait = r.queueWait();
    this.inFlight = r.inFlight();
    this.cacheHit = r.cacheHit();
    this.fallbackFrom = r.fallbackFrom();
    this.predictedLatency = r.predictedLatency();
    this.predictedSuccess = r.predictedSuccess();
    this.predictionSource = r.predictionSource();
    this.features = new HashMap<>(r.features());
  }

  /** The UUID of the member the record was made on. */
  public String member() {
    return member;
  }

  /** The record again. */
  public ExecutionRecord toRecord() {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId(callId)
        .traceId(traceId)
        .spanId(spanId)
        .runId(runId)
        .start(start)
        .duration(duration)
        .status(status)
        .errorType(errorType)
        .attempt(attempt)
        .attempts(attempts)
        .finalAttempt(finalAttempt)
        .queueWait(queueWait)
        .inFlight(inFlight)
        .cacheHit(cacheHit)
        .fallbackFrom(fallbackFrom)
        .predictedLatency(predictedLatency)
        .predictedSuccess(predictedSuccess)
        .predictionSource(predictionSource)
        .features(Map.copyOf(features))
        .build();
  }
}
