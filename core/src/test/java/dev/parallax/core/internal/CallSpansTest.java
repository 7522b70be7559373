package dev.parallax.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.trace.ExceptionRecording;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a call's span records its error under each {@link ExceptionRecording}, through the real SDK
 * (issue 11, item 15).
 */
class CallSpansTest {

  private static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
  private static final AttributeKey<String> STACKTRACE =
      AttributeKey.stringKey("exception.stacktrace");

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

  private SpanData endWith(Throwable error, ExceptionRecording recording) {
    Span span = otel.getTracer("test").spanBuilder("execute_tool t").startSpan();
    Instant now = Instant.now();
    CallResult<Object> result =
        new CallResult<>(
            "c", "t", CallStatus.FAILED, null, error, 1, now, now, now, null, null, false);
    CallSpans.endCall(span, result, ResultCache.Status.NOT_CACHED, false, recording);
    return exporter.getFinishedSpanItems().getLast();
  }

  private static EventData exception(SpanData span) {
    return span.getEvents().stream()
        .filter(e -> e.getName().equals("exception"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void redactor_masksTheMessage_onTheStatusAndTheEvent() {
    SpanData span =
        endWith(
            new IllegalStateException("login app:hunter2 refused"),
            ExceptionRecording.builder().redactor(m -> m.replaceAll(":\\w+ ", ":*** ")).build());

    assertThat(span.getStatus().getDescription()).isEqualTo("login app:*** refused");
    assertThat(exception(span).getAttributes().get(MESSAGE)).isEqualTo("login app:*** refused");
    assertThat(span.toString()).doesNotContain("hunter2");
  }

  @Test
  void throwingRedactor_recordsOnlyTheType() {
    SpanData span =
        endWith(
            new IllegalStateException("login app:hunter2 refused"),
            ExceptionRecording.builder()
                .redactor(
                    m -> {
                      throw new IllegalStateException("bug");
                    })
                .build());

    assertThat(span.getStatus().getDescription()).isEqualTo(IllegalStateException.class.getName());
    assertThat(exception(span).getAttributes().get(MESSAGE)).isNull();
    assertThat(span.toString()).doesNotContain("hunter2");
  }

  @Test
  void full_recordsTheWholeMessageAndTheStackTrace_whenOptedIn() {
    SpanData span =
        endWith(
            new IllegalStateException("x".repeat(1000), new RuntimeException("the cause")),
            ExceptionRecording.full());

    assertThat(exception(span).getAttributes().get(MESSAGE)).hasSize(1000);
    assertThat(exception(span).getAttributes().get(STACKTRACE))
        .contains("IllegalStateException")
        .contains("Caused by: java.lang.RuntimeException: the cause");
  }

  @Test
  void typeOnly_recordsNoMessage() {
    SpanData span = endWith(new IllegalStateException("secret"), ExceptionRecording.typeOnly());

    assertThat(span.getStatus().getDescription()).isEqualTo(IllegalStateException.class.getName());
    assertThat(exception(span).getAttributes().get(MESSAGE)).isNull();
    assertThat(span.toString()).doesNotContain("secret");
  }
}
