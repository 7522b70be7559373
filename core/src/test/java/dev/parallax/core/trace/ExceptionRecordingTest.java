package dev.parallax.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exception messages and stack traces may hold secrets: by default a span gets the type and a
 * bounded message, never a stack trace (issue 11, item 15). Real SDK, in-memory exporter.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExceptionRecordingTest {

  static final String PASSWORD = "hunter2-s3cr3t";
  static final AttributeKey<String> STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> TYPE = AttributeKey.stringKey("exception.type");

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                  .build())
          .build();

  @AfterEach
  void close() {
    otel.close();
  }

  /** Fails with a short message; the password is only in the cause, as drivers do. */
  private final Tool<String, String> connect =
      Tools.named("connect")
          .input(String.class)
          .function(
              (in, ctx) -> {
                throw new IllegalStateException(
                    "could not connect",
                    new SQLException(
                        "login failed for jdbc:pg://db?user=app&password=" + PASSWORD));
              });

  private final Tool<String, String> verbose =
      Tools.named("verbose")
          .input(String.class)
          .function(
              (in, ctx) -> {
                throw new IllegalArgumentException("x".repeat(10_000));
              });

  private SpanData toolSpan(String tool) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals("execute_tool " + tool))
        .findFirst()
        .orElseThrow();
  }

  private static EventData exceptionEvent(SpanData span) {
    return span.getEvents().stream()
        .filter(e -> e.getName().equals("exception"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void passwordInAStackTrace_neverReachesSpans_withoutPayloadRecording() {
    // the bug: span.recordException put the message and the full stack trace (with the cause's
    // message, and its password) on the span even with recordPayloadsOnSpans(false)
    try (ToolExecutor executor =
        ToolExecutor.builder().openTelemetry(otel).recordPayloadsOnSpans(false).build()) {
      RunResult run = executor.executeParallel(List.of(ToolCall.of("c1", connect, "db")));
      assertThat(run.get("c1").status()).isEqualTo(CallStatus.FAILED);
    }

    for (SpanData span : exporter.getFinishedSpanItems()) {
      assertThat(span.toString()).doesNotContain(PASSWORD);
    }
    SpanData span = toolSpan("connect");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEqualTo("could not connect");
    assertThat(span.getAttributes().get(ToolSpanAttributes.ERROR_TYPE))
        .isEqualTo(IllegalStateException.class.getName());
    EventData event = exceptionEvent(span);
    assertThat(event.getAttributes().get(TYPE)).isEqualTo(IllegalStateException.class.getName());
    assertThat(event.getAttributes().get(MESSAGE)).isEqualTo("could not connect");
    assertThat(event.getAttributes().get(STACKTRACE)).isNull();
  }

  @Test
  void fullRecording_optedInOnTheExecutor_putsTheStackTraceOnTheSpan() {
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .openTelemetry(otel)
            .exceptionRecording(ExceptionRecording.full())
            .build()) {
      executor.executeParallel(List.of(ToolCall.of("c1", connect, "db")));
    }

    EventData event = exceptionEvent(toolSpan("connect"));
    assertThat(event.getAttributes().get(STACKTRACE))
        .as("opted in: the whole trace, secrets included")
        .contains(PASSWORD);
  }

  @Test
  void longMessage_isCutTo256Characters_onTheStatusAndTheEvent() {
    try (ToolExecutor executor = ToolExecutor.builder().openTelemetry(otel).build()) {
      executor.execute(ExecutionPlan.batch(verbose, List.of("a")));
    }

    SpanData span = toolSpan("verbose");
    assertThat(span.getStatus().getDescription())
        .hasSize(ExceptionRecording.DEFAULT_MAX_MESSAGE_LENGTH)
        .endsWith("…");
    assertThat(exceptionEvent(span).getAttributes().get(MESSAGE))
        .hasSize(ExceptionRecording.DEFAULT_MAX_MESSAGE_LENGTH);
  }

  @Test
  void recordingOptions_boundRedactAndOptIntoStackTraces() {
    Throwable error =
        new IllegalStateException("password=" + PASSWORD, new RuntimeException("cause"));

    assertThat(ExceptionRecording.ofDefaults().message(error)).isEqualTo("password=" + PASSWORD);
    assertThat(ExceptionRecording.ofDefaults().stackTraces()).isFalse();
    assertThat(
            ExceptionRecording.builder()
                .redactor(m -> m.replaceAll("password=\\S+", "password=***"))
                .build()
                .message(error))
        .isEqualTo("password=***");
    assertThat(ExceptionRecording.builder().maxMessageLength(5).build().message(error))
        .isEqualTo("pass…");
    assertThat(ExceptionRecording.typeOnly().message(error)).isNull();
    assertThat(ExceptionRecording.full().message(error)).isEqualTo("password=" + PASSWORD);
    assertThat(ExceptionRecording.full().stackTraces()).isTrue();
    assertThat(ExceptionRecording.ofDefaults().message(new IllegalStateException())).isNull();
    assertThatThrownBy(() -> ExceptionRecording.builder().maxMessageLength(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void throwingRedactor_recordsNoMessage() {
    ExceptionRecording throwing =
        ExceptionRecording.builder()
            .redactor(
                m -> {
                  throw new AssertionError("redactor bug");
                })
            .build();
    ExceptionRecording nulling = ExceptionRecording.builder().redactor(m -> null).build();
    Throwable error = new IllegalStateException("password=" + PASSWORD);

    assertThat(throwing.message(error)).isNull();
    assertThat(nulling.message(error)).isNull();
  }
}
