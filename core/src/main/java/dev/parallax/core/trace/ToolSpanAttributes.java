package dev.parallax.core.trace;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span names and attributes of Parallax traces. Tool calls follow the OpenTelemetry GenAI
 * semantic conventions ({@code execute_tool {tool}}, {@code gen_ai.*}); the rest are {@code
 * parallax.*}.
 */
public final class ToolSpanAttributes {

  private ToolSpanAttributes() {}

  /** Instrumentation scope name of the executor's tracer. */
  public static final String INSTRUMENTATION_SCOPE = "dev.parallax.core";

  /** The value of {@link #OPERATION_NAME} on tool spans, and the prefix of their names. */
  public static final String EXECUTE_TOOL = "execute_tool";

  /** Name of the span of a whole run. */
  public static final String RUN_SPAN_NAME = "parallax.run";

  /** {@code gen_ai.operation.name}. */
  public static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("gen_ai.operation.name");

  /** {@code gen_ai.tool.name}. */
  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");

  /** {@code gen_ai.tool.description}. */
  public static final AttributeKey<String> TOOL_DESCRIPTION =
      AttributeKey.stringKey("gen_ai.tool.description");

  /** {@code gen_ai.tool.call.id}. */
  public static final AttributeKey<String> TOOL_CALL_ID =
      AttributeKey.stringKey("gen_ai.tool.call.id");

  /** {@code gen_ai.tool.call.arguments}: only when the user opts in, arguments may hold secrets. */
  public static final AttributeKey<String> TOOL_CALL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");

  /** {@code gen_ai.tool.call.result}: only when the user opts in. */
  public static final AttributeKey<String> TOOL_CALL_RESULT =
      AttributeKey.stringKey("gen_ai.tool.call.result");

  /** {@code error.type}: the class name of the error, or {@code timeout}, on failure. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** The run's id, on run and tool spans. */
  public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("parallax.run.id");

  /** The run's mode, on run spans. */
  public static final AttributeKey<String> RUN_MODE = AttributeKey.stringKey("parallax.run.mode");

  /** Number of calls, on run spans. */
  public static final AttributeKey<Long> RUN_CALLS = AttributeKey.longKey("parallax.run.calls");

  /** The call's final status. */
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("parallax.status");

  /** Number of attempts the call made. */
  public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("parallax.attempts");

  /** Time between the call becoming ready and its first start, in milliseconds. */
  public static final AttributeKey<Double> QUEUE_WAIT_MS =
      AttributeKey.doubleKey("parallax.queue_wait_ms");

  /** Calls of the run running when this call started, itself included. */
  public static final AttributeKey<Long> IN_FLIGHT = AttributeKey.longKey("parallax.in_flight");

  /** Ids of the calls of the run this call depended on (absent when it had none). */
  public static final AttributeKey<java.util.List<String>> DEPENDS_ON =
      AttributeKey.stringArrayKey("parallax.depends_on");

  /** Whether the value came from the result cache. */
  public static final AttributeKey<Boolean> CACHE_HIT =
      AttributeKey.booleanKey("parallax.cache_hit");

  /** The tool originally called, when another tool answered. */
  public static final AttributeKey<String> FALLBACK_FROM =
      AttributeKey.stringKey("parallax.fallback_from");

  /** Why the call's tool was swapped for another one. */
  public static final AttributeKey<String> FALLBACK_REASON =
      AttributeKey.stringKey("parallax.fallback_reason");

  /** Whether the call was hedged: a second attempt started while its first still ran. */
  public static final AttributeKey<Boolean> HEDGED = AttributeKey.booleanKey("parallax.hedged");

  /**
   * Which attempt of a hedged call answered it: {@code first}, {@code hedge}, or {@code none} when
   * neither succeeded.
   */
  public static final AttributeKey<String> HEDGE_WINNER =
      AttributeKey.stringKey("parallax.hedge.winner");

  /** The tool the hedge of a hedged call ran (the call's own, or an alternative). */
  public static final AttributeKey<String> HEDGE_TOOL =
      AttributeKey.stringKey("parallax.hedge.tool");

  /** Name of the span event marking when a hedge started. */
  public static final String HEDGE_EVENT = "parallax.hedge";

  /**
   * Prefix of the call's numeric features: {@code parallax.feature.arg_bytes} and so on (double
   * attributes).
   */
  public static final String FEATURE_PREFIX = "parallax.feature.";

  /** Predicted latency in milliseconds, when a prediction was made. */
  public static final AttributeKey<Double> PREDICTED_LATENCY_MS =
      AttributeKey.doubleKey("parallax.prediction.latency_ms");

  /** Predicted chance of success, when a prediction was made. */
  public static final AttributeKey<Double> PREDICTED_SUCCESS =
      AttributeKey.doubleKey("parallax.prediction.success");

  /** Where the prediction came from. */
  public static final AttributeKey<String> PREDICTION_SOURCE =
      AttributeKey.stringKey("parallax.prediction.source");
}
