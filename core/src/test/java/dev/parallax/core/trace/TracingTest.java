package dev.parallax.core.trace;

import static dev.parallax.core.trace.ToolSpanAttributes.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Spans from the real OpenTelemetry SDK with its in-memory exporter. */
class TracingTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();
  private final Tracer callerTracer = otel.getTracer("caller");

  @AfterEach
  void close() {
    otel.close();
  }

  record Secret(String apiKey) {}

  @Test
  @SuppressWarnings("try") // the scope only makes the caller's span current
  void eachCallIsAnExecuteToolSpan_underTheRunSpan_underTheCallersSpan() {
    Tracer toolTracer = otel.getTracer("tool-internals");
    Tool<Secret, String> lookup =
        Tools.named("lookup")
            .description("Looks things up")
            .input(Secret.class)
            .function(
                (in, ctx) -> {
                  // a span the tool makes itself, on its virtual thread
                  toolTracer.spanBuilder("inner-http-call").startSpan().end();
                  return "found";
                });
    Tool<Object, Object> failing =
        Tools.named("failing")
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  throw new IllegalStateException("nope");
                });

    RunResult run;
    Span caller = callerTracer.spanBuilder("agent-turn").startSpan();
    try (Scope ignored = caller.makeCurrent();
        ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel).build()) {
      run =
          executor.executeParallel(
              List.of(
                  ToolCall.of("call_A", lookup, new Secret("sk-123")),
                  ToolCall.of("call_B", failing, 1)));
    } finally {
      caller.end();
    }

    Map<String, SpanData> spans =
        exporter.getFinishedSpanItems().stream()
            .collect(Collectors.toMap(SpanData::getName, Function.identity()));
    assertThat(spans)
        .containsOnlyKeys(
            "agent-turn",
            RUN_SPAN_NAME,
            "execute_tool lookup",
            "execute_tool failing",
            "inner-http-call");
    SpanData runSpan = spans.get(RUN_SPAN_NAME);
    SpanData lookupSpan = spans.get("execute_tool lookup");
    SpanData failingSpan = spans.get("execute_tool failing");

    assertThat(runSpan.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    assertThat(runSpan.getAttributes().get(RUN_ID)).isEqualTo(run.runId());
    assertThat(lookupSpan.getParentSpanId()).isEqualTo(runSpan.getSpanId());
    assertThat(lookupSpan.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
    assertThat(spans.get("inner-http-call").getParentSpanId()).isEqualTo(lookupSpan.getSpanId());

    assertThat(lookupSpan.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(lookupSpan.getAttributes().get(OPERATION_NAME)).isEqualTo("execute_tool");
    assertThat(lookupSpan.getAttributes().get(TOOL_NAME)).isEqualTo("lookup");
    assertThat(lookupSpan.getAttributes().get(TOOL_CALL_ID)).isEqualTo("call_A");
    assertThat(lookupSpan.getAttributes().get(TOOL_DESCRIPTION)).isEqualTo("Looks things up");
    assertThat(lookupSpan.getAttributes().get(ATTEMPTS)).isEqualTo(1L);
    assertThat(lookupSpan.getAttributes().get(QUEUE_WAIT_MS))
        .isNotNull()
        .isGreaterThanOrEqualTo(0.0);
    assertThat(lookupSpan.getAttributes().get(ERROR_TYPE)).isNull();
    assertThat(
            lookupSpan
                .getAttributes()
                .get(
                    io.opentelemetry.api.common.AttributeKey.doubleKey(
                        FEATURE_PREFIX + "arg_bytes")))
        .as("{\"apiKey\":\"sk-123\"} is 19 bytes")
        .isEqualTo(19.0);
    assertThat(
            lookupSpan
                .getAttributes()
                .get(
                    io.opentelemetry.api.common.AttributeKey.doubleKey(
                        FEATURE_PREFIX + "arg_count")))
        .isEqualTo(1.0);
    assertThat(lookupSpan.getAttributes().asMap().toString())
        .as("arguments and results stay off spans unless the user opts in")
        .doesNotContain("sk-123")
        .doesNotContain("found");

    assertThat(failingSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(failingSpan.getAttributes().get(ERROR_TYPE))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(failingSpan.getEvents()).anyMatch(e -> e.getName().equals("exception"));
    assertThat(runSpan.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void declaredFeatures_goOnTheSpan() {
    Tool<String, Integer> length =
        Tools.named("length")
            .input(String.class)
            .features(
                in -> Map.of("chars", (double) in.length(), "words", (double) in.split(" ").length))
            .function((in, ctx) -> in.length());
    try (ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel).build()) {
      executor.executeParallel(List.of(ToolCall.of("c", length, "three little words")));
    }
    SpanData span =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("execute_tool length"))
            .findFirst()
            .orElseThrow();
    assertThat(
            span.getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.doubleKey(FEATURE_PREFIX + "chars")))
        .isEqualTo(18.0);
    assertThat(
            span.getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.doubleKey(FEATURE_PREFIX + "words")))
        .isEqualTo(3.0);
  }

  @Test
  void graphDependencies_goOnTheSpan_soTraceFilesKeepTheGraph() {
    Tool<String, String> echo = Tools.named("echo").input(String.class).function((in, ctx) -> in);
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("a", echo, "a"))
            .add(ToolCall.of("b", echo, "b"))
            .add(ToolCall.of("c", echo, "c"), "a", "b")
            .build();
    try (ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel).build()) {
      executor.executeGraph(graph);
    }
    Map<String, SpanData> byCall =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getAttributes().get(TOOL_CALL_ID) != null)
            .collect(Collectors.toMap(s -> s.getAttributes().get(TOOL_CALL_ID), s -> s));
    assertThat(byCall.get("c").getAttributes().get(DEPENDS_ON)).containsExactly("a", "b");
    assertThat(byCall.get("a").getAttributes().get(DEPENDS_ON)).isNull();
  }

  @Test
  void payloads_goOnSpansOnlyWhenOptedIn() {
    Tool<Secret, String> lookup =
        Tools.named("lookup").input(Secret.class).function((in, ctx) -> "found");
    try (ToolExecutor executor =
        ToolExecutor.builder().openTelemetry(otel).recordPayloadsOnSpans(true).build()) {
      executor.executeParallel(List.of(ToolCall.of("c", lookup, new Secret("sk-123"))));
    }
    SpanData span =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("execute_tool lookup"))
            .findFirst()
            .orElseThrow();
    assertThat(span.getAttributes().get(TOOL_CALL_ARGUMENTS)).isEqualTo("{\"apiKey\":\"sk-123\"}");
    assertThat(span.getAttributes().get(TOOL_CALL_RESULT)).isEqualTo("\"found\"");
  }

  @Test
  void retriesAndTimeouts_showOnTheCallSpan() {
    Tool<Object, String> flaky =
        Tools.named("flaky")
            .idempotent(true)
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  if (ctx.attempt() < 3) {
                    throw new java.io.IOException("try again");
                  }
                  return "ok";
                });
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .openTelemetry(otel)
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build())
            .build()) {
      CallGraph graph = CallGraph.builder().add(ToolCall.of("f", flaky, 1)).build();
      executor.execute(ExecutionPlan.graph(graph));
    }
    SpanData span =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("execute_tool flaky"))
            .findFirst()
            .orElseThrow();
    assertThat(span.getAttributes().get(ATTEMPTS)).isEqualTo(3L);
    assertThat(span.getEvents())
        .filteredOn(e -> e.getName().equals("parallax.attempt_failed"))
        .hasSize(2);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  @SuppressWarnings("try")
  void withoutOpenTelemetry_noSpansAreMade_butTheCallersContextReachesTheTool() {
    Span caller = callerTracer.spanBuilder("agent-turn").startSpan();
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Tool<Object, String> probe =
        Tools.named("probe")
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  seen.set(Span.current().getSpanContext().getSpanId());
                  return "ok";
                });
    try (Scope ignored = caller.makeCurrent();
        ToolExecutor executor = ToolExecutor.builder().build()) {
      executor.executeParallel(List.of(ToolCall.of("p", probe, 1)));
    } finally {
      caller.end();
    }
    assertThat(seen.get()).isEqualTo(caller.getSpanContext().getSpanId());
    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getName)
        .containsExactly("agent-turn");
  }
}
