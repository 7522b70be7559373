package dev.parallax.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.telemetry.metrics.ToolMetrics;
import dev.parallax.telemetry.record.ExecutionRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, items 9 and 11: subscribers that throw, a record thread that dies, and a burst that
 * outruns the subscribers — records emitted as the engine emits them, metrics in the real SDK.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecordProcessorFaultsTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters =
      SdkMeterProvider.builder().registerMetricReader(reader).build();
  private @Nullable ExecutionRecordProcessor processor;

  @AfterEach
  void close() {
    if (processor != null) {
      processor.shutdown().join(30, TimeUnit.SECONDS);
    }
    meters.close();
  }

  private ExecutionRecordProcessor processor(int capacity, Duration stallTimeout) {
    processor = new ExecutionRecordProcessor(capacity, stallTimeout, meters);
    return processor;
  }

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Emits the record of call {@code i} as the engine would. */
  private static void emit(ExecutionRecordProcessor processor, String callId) {
    processor.accept(
        ExecutionRecord.builder()
            .tool("search")
            .callId(callId)
            .start(T0)
            .status(CallStatus.SUCCEEDED)
            .build());
  }

  private static void emit(ExecutionRecordProcessor processor, int i) {
    emit(processor, "call-" + i);
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
    ExecutionRecordProcessor processor =
        processor(64, ExecutionRecordProcessor.DEFAULT_STALL_TIMEOUT);
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
      emit(processor, i);
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

  /**
   * The record thread's own code fails (here: a broken log handler throwing an out-of-memory while
   * the thread logs that it caught up after back-pressure): what was not delivered is counted as
   * dropped, later records are dropped and counted, and flush and shutdown report failure.
   */
  @Test
  void recordThreadDying_countsWhatWasNotDeliveredAsDropped_andFlushAndShutdownReportFailure()
      throws Exception {
    Logger log = Logger.getLogger(ExecutionRecordProcessor.class.getName());
    Level levelBefore = log.getLevel();
    Handler broken =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (Thread.currentThread().getName().equals("parallax-records")
                && record.getMessage().contains("caught up")) {
              throw new OutOfMemoryError("a log handler's out-of-memory");
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.setLevel(Level.FINE);
    log.addHandler(broken);
    try {
      ExecutionRecordProcessor processor = processor(1, Duration.ofSeconds(60));
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<String> delivered = new CopyOnWriteArrayList<>();
      processor.subscribe(
          record -> {
            holding.countDown();
            await(release);
            delivered.add(record.callId());
          });
      int burst = 6;
      Thread producer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < burst; i++) {
                      emit(processor, i);
                    }
                  });
      assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
      while (processor.backpressureWaits() == 0) {
        Thread.onSpinWait(); // the producer is about to wait for room; bounded by @Timeout
      }
      release.countDown();
      producer.join();
      while (!processor.failed()) {
        Thread.onSpinWait(); // the thread dies once it has caught up; bounded by @Timeout
      }

      assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
      assertThat(delivered).startsWith("call-0");
      assertThat(delivered.size() + processor.dropped()).isEqualTo(burst);
      long droppedBefore = processor.dropped();
      emit(processor, burst);
      assertThat(processor.dropped()).isEqualTo(droppedBefore + 1);
      assertThat(metric(ToolMetrics.DROPPED)).isEqualTo(processor.dropped());
      assertThat(processor.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    } finally {
      log.removeHandler(broken);
      log.setLevel(levelBefore);
    }
  }

  @Test
  void fullQueue_emitWaitsForTheSubscribers_insteadOfDroppingTheRecord() throws Exception {
    int capacity = 8;
    ExecutionRecordProcessor processor = processor(capacity, Duration.ofSeconds(60));
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
                    emit(processor, i);
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
  void aSubscriberEmittingRecords_onTheRecordThread_neverWaitsForItself() {
    ExecutionRecordProcessor processor = processor(1, Duration.ofSeconds(60));
    List<String> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(
        record -> {
          delivered.add(record.callId());
          if (!record.callId().startsWith("inner")) {
            for (int i = 0; i < 5; i++) {
              emit(processor, "inner-" + record.callId() + i);
            }
          }
        });

    for (int i = 0; i < 3; i++) {
      emit(processor, i);
    }

    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(processor.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered).hasSize(18);
    assertThat(processor.dropped()).isZero();
  }

  @Test
  void shutdown_deliversWhatIsQueued_andCountsRecordsEmittedAfterIt() {
    ExecutionRecordProcessor processor =
        processor(64, ExecutionRecordProcessor.DEFAULT_STALL_TIMEOUT);
    List<ExecutionRecord> delivered = new CopyOnWriteArrayList<>();
    processor.subscribe(delivered::add);
    for (int i = 0; i < 40; i++) {
      emit(processor, i);
    }

    assertThat(processor.shutdown().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(delivered).hasSize(40);
    emit(processor, 40);
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
}
