package dev.parallax.planner.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/*
 * The ExecutionRecord of a preload. A preload is a real execution of a tool, outside every run; it
 * leaves one record, as a run with one call and one attempt would: the call id and the run id are
 * the preload's own (preload-N), the features are the tool's features of the input (Tool.features,
 * what the engine records for a real call), the duration is the tool's call timed on the cache's
 * ticker, preload=true. The tool's call is timed by wrapping the body the cache computes (on the
 * preload's own thread); the record is built and handed to the sink after the preload's span ended,
 * so that a slow sink (the telemetry processor waits when its queue is full) never delays the value
 * a real call waits for.
 */
final class PreloadRecords {

  private final ExecutionRecordSink sink;
  private final Ticker ticker;
  private final Instant wallAtStart;
  private final long tickerAtStart;

  PreloadRecords(ExecutionRecordSink sink, Ticker ticker) {
    this.sink = sink;
    this.ticker = ticker;
    this.tickerAtStart = ticker.read();
    this.wallAtStart = Instant.now();
  }

  /** What one preload's tool did; written and read on the preload's own thread. */
  static final class Ran {
    long startNanos;
    long endNanos;
    boolean started;
    boolean returned;
    @Nullable Throwable error;
    @Nullable SpanContext span;
  }

  /** The tool's call, timed into {@code ran}. */
  Callable<?> timed(Tool<Object, ?> tool, Object input, ToolContext context, Ran ran) {
    return () -> {
      ran.started = true;
      ran.span = Span.current().getSpanContext(); // the preload's span: the body runs inside it
      ran.startNanos = ticker.read();
      try {
        Object value = tool.call(input, context);
        ran.returned = true;
        return value;
      } catch (Throwable e) {
        ran.error = e;
        throw e;
      } finally {
        ran.endNanos = ticker.read();
      }
    };
  }

  /**
   * Builds the preload's record and hands it to the sink; nothing if the tool never ran. Throws
   * what the sink (or the tool's features) threw: the caller guards it.
   */
  void emit(Tool<Object, ?> tool, Object input, String id, Ran ran, boolean cancelled) {
    if (!ran.started) {
      return;
    }
    Throwable error = ran.error;
    CallStatus status =
        ran.returned ? CallStatus.SUCCEEDED : cancelled ? CallStatus.CANCELLED : CallStatus.FAILED;
    ExecutionRecord.Builder b =
        ExecutionRecord.builder()
            .tool(tool.name())
            .callId(id)
            .runId(id)
            .start(wallAtStart.plusNanos(ran.startNanos - tickerAtStart))
            .duration(Duration.ofNanos(Math.max(0, ran.endNanos - ran.startNanos)))
            .status(status)
            .errorType(
                status == CallStatus.CANCELLED
                    ? "cancelled"
                    : status == CallStatus.FAILED && error != null
                        ? error.getClass().getName()
                        : null)
            .attempt(1)
            .finalAttempt(true)
            .inFlight(1) // its run is itself
            .preload(true)
            .features(features(tool, input));
    SpanContext span = ran.span;
    if (span != null && span.isValid()) {
      b.traceId(span.getTraceId()).spanId(span.getSpanId());
    }
    sink.accept(b.build());
  }

  /** The tool's features of the input, as the engine takes them for a real call's record. */
  private static Map<String, Double> features(Tool<Object, ?> tool, Object input) {
    try {
      Map<String, Double> features = tool.features(input);
      return features == null ? Map.of() : features;
    } catch (Throwable e) { // the user's tool: nothing it throws may escape the preload's record
      return Map.of(); // the record is made all the same, as the engine does
    }
  }
}
