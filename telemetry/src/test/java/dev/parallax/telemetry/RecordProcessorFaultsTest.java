package dev.parallax.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.trace.ToolSpanAttributes;
import dev.parallax.telemetry.metrics.ToolMetrics;
import dev.parallax.telemetry.record.ExecutionRecordProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, items 9 and 11: subscribers that throw, a record thread that dies, and a burst that
 * outruns the subscribers — with the real SDK ending real spans.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordProcessorFaultsTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters =
      SdkMeterProvider.builder().registerMetricReader(reader).build();
  private @Nullable SdkTracerProvider tracers;

  @AfterEach
  void close() {
    if (tracers != null) {
      tracers.shutdown().join(30, TimeUnit.SECONDS);
    }
    meters.close();
  }

  private Tracer tracer(ExecutionRecordProcessor processor) {
    tracers = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    return tracers.get("faults");
  }

  private static Span toolSpan(Tracer tracer, int i) {
    return tracer
        .spanBuilder("execute_tool search")
        .setAttribute(ToolSpanAttributes.OPERATION_NAME, "execute_tool")
        .setAttribute(ToolSpanAttributes.TOOL_NAME, "search")
        .setAttribute(ToolSpanAttributes.TOOL_CALL_ID, "call-" + i)
        .startSpan();
  }

  private long metric(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  @Test
  void aSubscriberThrowingAnError_noLongerKillsTheRecordThread_everySubscriberGetsLaterRecords() {
    ExecutionRecordProcessor processor = new ExecutionRecordProcessor(64, meters);
    Tracer tracer = tracer(processor);
    List<String> failing = new CopyOnWriteArrayList<>();
    List<String> healthy = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    processor.subscribe(
        record -> {
          switch (calls.incrementAndGet()) {
            case 1 -> throw new AssertionError("a subscriber's assertion");
            case 2 -> throw new OutOfMemoryError("a subscriber's out-of-memory");
            case 3 -> throw new IllegalStateException("a subscriber's bug");
            default -> failing.add(record.callId());
          }
        });
    processor.subscribe(record -> healthy.add(record.callId()));

    for (int i = 0; i < 100; i++) {
      toolSpan(tracer, i).end();
    }

    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(healthy).hasSize(100).startsWith("call-0", "call-1", "call-2", "call-3");
    assertThat(failing).hasSize(97).startsWith("call-3");
    assertThat(processor.subscriberFailures()).isEqualTo(3);
    assertThat(metric(ToolMetrics.SUBSCRIBER_FAILURES)).isEqualTo(3);
    assertThat(processor.dropped()).isZero();
    assertThat(processor.failed()).isFalse();
    assertThat(processor.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  @Test
  void recordThreadDying_countsWhatWasQueuedAsDropped_andFlushAndShutdownReportFailure()
      throws Exception {
    ExecutionRecordProcessor processor = new ExecutionRecordProcessor(64, meters);
    Tracer tracer = tracer(processor);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(
        record -> {
          holding.countDown();
          await(release);
          delivered.add(record.callId());
        });
    toolSpan(tracer, 0).end();
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    // the processor's own code fails on the next span: copying it runs out of memory
    Span poisoned = toolSpan(tracer, 1);
    poisoned.end();
    processor.onEnd(new UncopyableSpan((ReadableSpan) poisoned));
    for (int i = 2; i < 12; i++) {
      toolSpan(tracer, i).end();
    }
    long droppedBefore = processor.dropped();

    release.countDown();

    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(processor.failed()).isTrue();
    // the SDK's own end of span 1 was delivered too or queued behind: count what was not delivered
    long undelivered = processor.dropped() - droppedBefore;
    assertThat(delivered.size() + undelivered).isEqualTo(13); // 12 real spans and the poisoned copy
    assertThat(delivered).startsWith("call-0");
    assertThat(metric(ToolMetrics.DROPPED)).isEqualTo(processor.dropped());

    toolSpan(tracer, 12).end();
    assertThat(processor.dropped()).isEqualTo(droppedBefore + undelivered + 1);
    assertThat(processor.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
  }

  @Test
  void fullQueue_spanEndWaitsForTheSubscribers_insteadOfDroppingTheRecord() throws Exception {
    int capacity = 8;
    ExecutionRecordProcessor processor =
        new ExecutionRecordProcessor(capacity, Duration.ofSeconds(60), meters);
    Tracer tracer = tracer(processor);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(
        record -> {
          holding.countDown();
          await(release);
          delivered.add(record.callId());
        });
    AtomicInteger ended = new AtomicInteger();
    int burst = 500;
    Thread producer =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < burst; i++) {
                    toolSpan(tracer, i).end();
                    ended.incrementAndGet();
                  }
                });
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    while (processor.backpressureWaits() == 0) {
      Thread.onSpinWait(); // the producer is about to wait for room; bounded by @Timeout
    }
    // one record in the subscriber's hands, the queue full, the next span end waiting
    assertThat(ended.get()).isLessThanOrEqualTo(capacity + 1);

    release.countDown();
    producer.join();

    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered).hasSize(burst);
    assertThat(processor.dropped()).isZero();
    assertThat(processor.backpressureWaits()).isPositive();
    assertThat(metric(ToolMetrics.BACKPRESSURE_WAITS)).isEqualTo(processor.backpressureWaits());
    assertThat(metric(ToolMetrics.DROPPED)).isZero();
  }

  @Test
  void aSubscriberEndingToolSpans_onTheRecordThread_neverWaitsForItself() {
    ExecutionRecordProcessor processor =
        new ExecutionRecordProcessor(1, Duration.ofSeconds(60), meters);
    Tracer tracer = tracer(processor);
    List<String> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(
        record -> {
          delivered.add(record.callId());
          if (!record.callId().startsWith("inner")) {
            for (int i = 0; i < 5; i++) {
              tracer
                  .spanBuilder("execute_tool inner")
                  .setAttribute(ToolSpanAttributes.OPERATION_NAME, "execute_tool")
                  .setAttribute(ToolSpanAttributes.TOOL_CALL_ID, "inner-" + record.callId() + i)
                  .startSpan()
                  .end();
            }
          }
        });

    for (int i = 0; i < 3; i++) {
      toolSpan(tracer, i).end();
    }

    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered).hasSize(18);
    assertThat(processor.dropped()).isZero();
  }

  @Test
  void shutdown_deliversWhatIsQueued_andCountsSpansEndedAfterIt() {
    ExecutionRecordProcessor processor = new ExecutionRecordProcessor(64, meters);
    Tracer tracer = tracer(processor);
    List<ExecutionRecord> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(delivered::add);
    for (int i = 0; i < 40; i++) {
      toolSpan(tracer, i).end();
    }

    assertThat(processor.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered).hasSize(40);
    toolSpan(tracer, 40).end();
    assertThat(processor.dropped()).isEqualTo(1);
    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A real ended span whose copy fails the way an exhausted heap would make it fail. */
  private record UncopyableSpan(ReadableSpan span) implements ReadableSpan {
    @Override
    public SpanData toSpanData() {
      throw new OutOfMemoryError("simulated: copying the span ran out of memory");
    }

    @Override
    public SpanContext getSpanContext() {
      return span.getSpanContext();
    }

    @Override
    public SpanContext getParentSpanContext() {
      return span.getParentSpanContext();
    }

    @Override
    public String getName() {
      return span.getName();
    }

    @Override
    @Deprecated
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return span.getInstrumentationLibraryInfo();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return span.getInstrumentationScopeInfo();
    }

    @Override
    public boolean hasEnded() {
      return span.hasEnded();
    }

    @Override
    public long getLatencyNanos() {
      return span.getLatencyNanos();
    }

    @Override
    public SpanKind getKind() {
      return span.getKind();
    }

    @Override
    public <T> @Nullable T getAttribute(AttributeKey<T> key) {
      return span.getAttribute(key);
    }

    @Override
    public Attributes getAttributes() {
      return span.getAttributes();
    }
  }
}
