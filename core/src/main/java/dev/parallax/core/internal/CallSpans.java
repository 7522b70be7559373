package dev.parallax.core.internal;

import static dev.parallax.core.trace.ToolSpanAttributes.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.trace.ExceptionRecording;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Creates and ends the spans of runs and calls (GenAI semantic conventions). Arguments and results
 * go on spans only when the user opted in; of an exception, only its type and a bounded, redactable
 * message unless the user opted into more ({@link ExceptionRecording}). Internal; may change at any
 * time.
 */
final class CallSpans {

  private static final ObjectMapper JSON = dev.parallax.core.internal.Json.MAPPER;
  private static final String EXCEPTION_EVENT = "exception";
  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");
  private static final AttributeKey<String> EXCEPTION_MESSAGE =
      AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> EXCEPTION_STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

  private CallSpans() {}

  static Span startRun(
      Tracer tracer, Context parent, String runId, ExecutionPlan plan, Instant start) {
    return tracer
        .spanBuilder(RUN_SPAN_NAME)
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(start)
        .setAttribute(RUN_ID, runId)
        .setAttribute(RUN_MODE, plan.mode().name().toLowerCase(java.util.Locale.ROOT))
        .setAttribute(RUN_CALLS, (long) plan.nodes().size())
        .startSpan();
  }

  static void endRun(Span span, RunResult result, Instant end) {
    int failed = result.results().size() - result.report().count(CallStatus.SUCCEEDED);
    if (failed > 0) {
      span.setStatus(StatusCode.ERROR, failed + " call(s) did not succeed");
    }
    span.setAttribute(ATTEMPTS, (long) result.report().attempts());
    span.end(end);
  }

  static Span startCall(
      Tracer tracer, Context parent, CallNode node, Instant start, int inFlight, boolean payloads) {
    String tool = node.tool.name();
    SpanBuilder builder =
        tracer
            .spanBuilder(SpanNames.callSpan(tool))
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setStartTimestamp(start)
            .setAttribute(OPERATION_NAME, EXECUTE_TOOL)
            .setAttribute(TOOL_NAME, tool)
            .setAttribute(TOOL_CALL_ID, node.call.id())
            .setAttribute(RUN_ID, node.run.id())
            .setAttribute(IN_FLIGHT, (long) inFlight);
    if (node.startedNanos == CallNode.NEVER) {
      builder.setAttribute(QUEUE_WAIT_MS, 0.0); // never started: the span of a call not run
    } else if (node.queuedNanos != CallNode.NEVER) {
      builder.setAttribute(QUEUE_WAIT_MS, (node.startedNanos - node.queuedNanos) / 1e6);
    }
    if (!node.dependsOn.isEmpty()) {
      builder.setAttribute(DEPENDS_ON, node.dependsOn);
    }
    String description = node.tool.spec().description();
    if (!description.isEmpty()) {
      builder.setAttribute(TOOL_DESCRIPTION, description);
    }
    Prediction prediction = node.prediction;
    if (prediction != null) {
      builder
          .setAttribute(PREDICTED_LATENCY_MS, prediction.latency().toNanos() / 1e6)
          .setAttribute(PREDICTED_SUCCESS, prediction.successProbability())
          .setAttribute(PREDICTION_SOURCE, prediction.source());
    }
    return builder.startSpan();
  }

  /** The tool's features of the input; a failing feature extractor gives none. */
  static Map<String, Double> features(Tool<Object, ?> tool, Object input) {
    try {
      Map<String, Double> features = tool.features(input);
      return features == null ? Map.of() : features;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * Puts the tool's features of the input on the span, and the input itself when the user opted in
   * ({@code arguments} not null); called on the first attempt's thread, once the input is resolved
   * (derived inputs too).
   */
  static void recordInput(Span span, Map<String, Double> features, @Nullable String arguments) {
    if (arguments != null) {
      span.setAttribute(TOOL_CALL_ARGUMENTS, arguments);
    }
    features.forEach(
        (name, value) -> {
          if (value != null) {
            span.setAttribute(SpanNames.featureKey(name), value);
          }
        });
  }

  static void attemptFailed(Span span, int attempt, Throwable error, Instant when) {
    span.addEvent(
        "parallax.attempt_failed",
        Attributes.of(ATTEMPTS, (long) attempt, ERROR_TYPE, errorType(error)),
        when);
  }

  /**
   * Ends a call's span. Of an error, only what {@code exceptions} allows goes on the span: the type
   * always, the message redacted and bounded, the stack trace only when opted in.
   */
  static void endCall(
      Span span,
      CallResult<?> result,
      ResultCache.Status cacheStatus,
      boolean payloads,
      ExceptionRecording exceptions) {
    span.setAttribute(STATUS, result.status().name());
    span.setAttribute(ATTEMPTS, (long) result.attempts());
    if (cacheStatus != ResultCache.Status.NOT_CACHED) {
      span.setAttribute(CACHE_HIT, cacheStatus == ResultCache.Status.HIT);
    }
    if (result.fallbackFrom() != null) {
      span.setAttribute(FALLBACK_FROM, result.fallbackFrom());
      if (result.fallbackReason() != null) {
        span.setAttribute(FALLBACK_REASON, result.fallbackReason());
      }
      span.setAttribute(TOOL_NAME, result.tool());
      span.updateName(EXECUTE_TOOL + " " + result.tool());
    }
    Throwable error = result.error();
    if (error != null) {
      String message = exceptions.message(error);
      span.setAttribute(ERROR_TYPE, errorType(error));
      span.setStatus(StatusCode.ERROR, message == null ? error.getClass().getName() : message);
      if (result.status() == CallStatus.FAILED) {
        recordException(span, error, message, exceptions.stackTraces());
      }
    } else if (payloads && result.value() != null) {
      span.setAttribute(TOOL_CALL_RESULT, toJson(result.value()));
    }
    span.end(result.finishedAt());
  }

  /**
   * The {@code exception} event of the OpenTelemetry semantic conventions, with only what may be
   * recorded: {@code Span.recordException} would put the raw message and the stack trace on it.
   */
  private static void recordException(
      Span span, Throwable error, @Nullable String message, boolean stackTrace) {
    AttributesBuilder attributes =
        Attributes.builder().put(EXCEPTION_TYPE, error.getClass().getName());
    if (message != null) {
      attributes.put(EXCEPTION_MESSAGE, message);
    }
    if (stackTrace) {
      attributes.put(EXCEPTION_STACKTRACE, stackTraceOf(error));
    }
    span.addEvent(EXCEPTION_EVENT, attributes.build());
  }

  private static String stackTraceOf(Throwable error) {
    StringWriter out = new StringWriter();
    try (PrintWriter writer = new PrintWriter(out)) {
      error.printStackTrace(writer);
    } catch (RuntimeException e) {
      return error.getClass().getName(); // a throwing toString or cause: record the type only
    }
    return out.toString();
  }

  /** A low-cardinality name for an error: {@code timeout}, {@code cancelled} or the class name. */
  static String errorType(Throwable error) {
    if (error instanceof ToolTimeoutException) {
      return "timeout";
    }
    if (error instanceof java.util.concurrent.CancellationException) {
      return "cancelled";
    }
    return error.getClass().getName();
  }

  static String toJson(@Nullable Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception | StackOverflowError e) {
      return String.valueOf(value);
    }
  }
}
