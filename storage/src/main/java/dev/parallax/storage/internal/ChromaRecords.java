package dev.parallax.storage.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A record as Chroma metadata (flat: strings, 64-bit integers, floats, booleans) and a short
 * document. Every field is a metadata key; durations and the start are integer nanoseconds ({@code
 * start_ns} is what time windows filter on); feature {@code NAME} is the float {@code f:NAME};
 * absent optional fields are left out. Internal: may change at any time.
 */
public final class ChromaRecords {

  /** The metadata key of the tool. */
  public static final String TOOL = "tool";

  /** The metadata key of the start, epoch nanoseconds. */
  public static final String START = "start_ns";

  private static final String FEATURE = "f:";

  private ChromaRecords() {}

  /** The record's metadata. */
  public static ObjectNode metadata(ExecutionRecord r) {
    ObjectNode m = ChromaClient.object();
    m.put(TOOL, r.tool());
    m.put("call_id", r.callId());
    m.put("trace_id", r.traceId());
    m.put("span_id", r.spanId());
    m.put("run_id", r.runId());
    m.put(START, EpochNanos.of(r.start()));
    m.put("duration_ns", r.duration().toNanos());
    m.put("status", r.status().name());
    putIf(m, "error_type", r.errorType());
    m.put("attempt", r.attempt());
    m.put("attempts", r.attempts());
    m.put("final_attempt", r.finalAttempt());
    m.put("queue_wait_ns", r.queueWait().toNanos());
    m.put("in_flight", r.inFlight());
    m.put("cache_hit", r.cacheHit());
    if (r.preloadHit()) {
      m.put("preload_hit", true);
    }
    if (r.preload()) {
      m.put("preload", true);
    }
    if (r.hedge()) {
      m.put("hedge", true);
    }
    if (r.hedged()) {
      m.put("hedged", true);
    }
    putIf(m, "fallback_from", r.fallbackFrom());
    if (r.predictedLatency() != null) {
      m.put("predicted_latency_ns", r.predictedLatency().toNanos());
    }
    if (r.predictedSuccess() != null) {
      m.put("predicted_success", r.predictedSuccess());
    }
    putIf(m, "prediction_source", r.predictionSource());
    putIf(m, "arguments", r.arguments());
    r.features().forEach((name, value) -> m.put(FEATURE + name, value));
    return m;
  }

  private static void putIf(ObjectNode m, String key, @Nullable String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  /** A one-line summary, the document stored beside the metadata. */
  public static String document(ExecutionRecord r) {
    return r.tool()
        + " "
        + r.status()
        + " in "
        + r.duration().toNanos() / 1_000_000.0
        + " ms, "
        + r.attempts()
        + (r.attempts() == 1 ? " attempt" : " attempts")
        + (r.errorType() != null ? ", " + r.errorType() : "");
  }

  /** Reads what {@link #metadata} wrote. */
  public static ExecutionRecord record(JsonNode m) {
    Map<String, Double> features = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : m.properties()) {
      if (e.getKey().startsWith(FEATURE)) {
        features.put(e.getKey().substring(FEATURE.length()), e.getValue().asDouble());
      }
    }
    return ExecutionRecord.builder()
        .tool(m.path(TOOL).asText())
        .callId(m.path("call_id").asText())
        .traceId(m.path("trace_id").asText())
        .spanId(m.path("span_id").asText())
        .runId(m.path("run_id").asText())
        .start(EpochNanos.toInstant(m.path(START).asLong()))
        .duration(Duration.ofNanos(m.path("duration_ns").asLong()))
        .status(CallStatus.valueOf(m.path("status").asText()))
        .errorType(text(m, "error_type"))
        .attempt(m.has("attempt") ? m.get("attempt").asInt() : m.path("attempts").asInt())
        .attempts(m.path("attempts").asInt())
        .finalAttempt(m.path("final_attempt").asBoolean(true))
        .queueWait(Duration.ofNanos(m.path("queue_wait_ns").asLong()))
        .inFlight(m.path("in_flight").asInt())
        .cacheHit(m.path("cache_hit").asBoolean())
        .preloadHit(m.path("preload_hit").asBoolean())
        .preload(m.path("preload").asBoolean())
        .hedge(m.path("hedge").asBoolean())
        .hedged(m.path("hedged").asBoolean())
        .fallbackFrom(text(m, "fallback_from"))
        .predictedLatency(
            m.has("predicted_latency_ns")
                ? Duration.ofNanos(m.get("predicted_latency_ns").asLong())
                : null)
        .predictedSuccess(m.has("predicted_success") ? m.get("predicted_success").asDouble() : null)
        .predictionSource(text(m, "prediction_source"))
        .features(features)
        .arguments(text(m, "arguments"))
        .build();
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
