package dev.parallax.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A record as one compact JSON object: instants as epoch seconds plus nanos, durations as
 * nanoseconds, absent optional fields left out. Internal: may change at any time.
 */
public final class RecordJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RecordJson() {}

  /** The record as a JSON tree. */
  public static ObjectNode toTree(ExecutionRecord r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("tool", r.tool());
    n.put("callId", r.callId());
    n.put("traceId", r.traceId());
    n.put("spanId", r.spanId());
    n.put("runId", r.runId());
    n.put("startS", r.start().getEpochSecond());
    n.put("startN", r.start().getNano());
    n.put("durationNs", r.duration().toNanos());
    n.put("status", r.status().name());
    if (r.errorType() != null) {
      n.put("errorType", r.errorType());
    }
    n.put("attempt", r.attempt());
    n.put("attempts", r.attempts());
    if (!r.finalAttempt()) {
      n.put("finalAttempt", false);
    }
    n.put("queueWaitNs", r.queueWait().toNanos());
    n.put("inFlight", r.inFlight());
    n.put("cacheHit", r.cacheHit());
    if (r.preloadHit()) {
      n.put("preloadHit", true);
    }
    if (r.preload()) {
      n.put("preload", true);
    }
    if (r.hedge()) {
      n.put("hedge", true);
    }
    if (r.hedged()) {
      n.put("hedged", true);
    }
    if (r.fallbackFrom() != null) {
      n.put("fallbackFrom", r.fallbackFrom());
    }
    if (r.predictedLatency() != null) {
      n.put("predictedLatencyNs", r.predictedLatency().toNanos());
    }
    if (r.predictedSuccess() != null) {
      n.put("predictedSuccess", r.predictedSuccess());
    }
    if (r.predictionSource() != null) {
      n.put("predictionSource", r.predictionSource());
    }
    ObjectNode features = n.putObject("features");
    r.features().forEach(features::put);
    if (r.arguments() != null) {
      n.put("arguments", r.arguments());
    }
    return n;
  }

  /** The record as UTF-8 JSON. */
  public static byte[] toBytes(ExecutionRecord r) {
    try {
      return MAPPER.writeValueAsBytes(toTree(r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write record " + r.callId() + " as JSON", e);
    }
  }

  /** The record as one line of JSON. */
  public static String toLine(ExecutionRecord r) {
    return toTree(r).toString();
  }

  /** Reads what {@link #toBytes} wrote. */
  public static ExecutionRecord fromBytes(byte[] json, int offset, int length) {
    try {
      return fromTree(MAPPER.readTree(json, offset, length));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored record: " + e.getMessage(), e);
    }
  }

  /** Reads what {@link #toLine} wrote. */
  public static ExecutionRecord fromLine(String json) {
    try {
      return fromTree(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored record: " + e.getMessage(), e);
    }
  }

  /** Reads what {@link #toTree} wrote. */
  public static ExecutionRecord fromTree(JsonNode n) {
    Map<String, Double> features = new TreeMap<>();
    JsonNode f = n.path("features");
    for (Map.Entry<String, JsonNode> e : f.properties()) {
      features.put(e.getKey(), e.getValue().asDouble());
    }
    return ExecutionRecord.builder()
        .tool(n.path("tool").asText())
        .callId(n.path("callId").asText())
        .traceId(n.path("traceId").asText())
        .spanId(n.path("spanId").asText())
        .runId(n.path("runId").asText())
        .start(Instant.ofEpochSecond(n.path("startS").asLong(), n.path("startN").asLong()))
        .duration(Duration.ofNanos(n.path("durationNs").asLong()))
        .status(CallStatus.valueOf(n.path("status").asText()))
        .errorType(text(n, "errorType"))
        .attempt(n.has("attempt") ? n.get("attempt").asInt() : n.path("attempts").asInt())
        .attempts(n.path("attempts").asInt())
        .finalAttempt(n.path("finalAttempt").asBoolean(true))
        .queueWait(Duration.ofNanos(n.path("queueWaitNs").asLong()))
        .inFlight(n.path("inFlight").asInt())
        .cacheHit(n.path("cacheHit").asBoolean())
        .preloadHit(n.path("preloadHit").asBoolean())
        .preload(n.path("preload").asBoolean())
        .hedge(n.path("hedge").asBoolean())
        .hedged(n.path("hedged").asBoolean())
        .fallbackFrom(text(n, "fallbackFrom"))
        .predictedLatency(
            n.has("predictedLatencyNs")
                ? Duration.ofNanos(n.get("predictedLatencyNs").asLong())
                : null)
        .predictedSuccess(n.has("predictedSuccess") ? n.get("predictedSuccess").asDouble() : null)
        .predictionSource(text(n, "predictionSource"))
        .features(features)
        .arguments(text(n, "arguments"))
        .build();
  }

  private static @Nullable String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
