package dev.parallax.telemetry.record;

import static dev.parallax.core.trace.ToolSpanAttributes.*;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.telemetry.metrics.ToolMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every ended {@code execute_tool} span into an {@link ExecutionRecord} and hands it to any
 * number of subscribers (the history writer, the model trainer), and records the tool metrics.
 *
 * <p>It never blocks the thread that ends a span: ended tool spans go into a bounded queue with
 * {@code offer}; when the queue is full the record is dropped and counted ({@link #dropped()} and
 * the {@value ToolMetrics#DROPPED} counter). One daemon thread, {@code parallax-records}, maps the
 * spans to records and calls the subscribers in order; a subscriber that throws is logged and
 * skipped. {@link #forceFlush()} completes when every record queued before it was delivered; {@link
 * #shutdown()} delivers what is queued, then stops the thread.
 *
 * <p>Thread-safe. Register it with {@code SdkTracerProviderBuilder.addSpanProcessor}.
 */
public final class ExecutionRecordProcessor implements SpanProcessor {

  /** Default capacity of the queue between span ends and subscribers. */
  public static final int DEFAULT_CAPACITY = 8192;

  private static final Logger LOG = Logger.getLogger(ExecutionRecordProcessor.class.getName());

  private final BlockingQueue<ReadableSpan> queue;
  private final List<Consumer<ExecutionRecord>> subscribers = new CopyOnWriteArrayList<>();
  private final ToolMetrics metrics;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong defaulted = new AtomicLong();
  private final Object progress = new Object();
  private final Thread worker;
  private volatile boolean shutdown;

  /**
   * Creates the processor and starts its thread.
   *
   * @param capacity how many ended spans may wait for the subscribers
   * @param meterProvider where the tool metrics go ({@code MeterProvider.noop()} for none)
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public ExecutionRecordProcessor(int capacity, MeterProvider meterProvider) {
    if (capacity < 1) {
      throw new IllegalArgumentException("record queue capacity must be >= 1, was " + capacity);
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.metrics = new ToolMetrics(meterProvider.get(INSTRUMENTATION_SCOPE));
    this.worker = Thread.ofPlatform().name("parallax-records").daemon(true).start(this::deliver);
  }

  /**
   * Calls {@code subscriber} with every record from now on, on the processor's thread, in the order
   * the spans ended. It should be quick: while it runs, records queue up and, past the capacity,
   * are dropped.
   *
   * @return closing it unsubscribes
   */
  public AutoCloseable subscribe(Consumer<ExecutionRecord> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** Records dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Tool spans that could not be read as records (see {@link ToolSpanReader}). */
  public long skipped() {
    return skipped.get();
  }

  /** Records delivered with at least one defaulted field. */
  public long defaulted() {
    return defaulted.get();
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (isToolSpan(span)) {
      metrics.callStarted();
    }
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!isToolSpan(span)) {
      return;
    }
    String tool = span.getAttribute(TOOL_NAME);
    String errorType = span.getAttribute(ERROR_TYPE);
    Long attempts = span.getAttribute(ATTEMPTS);
    metrics.callEnded(
        tool == null ? "" : tool,
        span.getLatencyNanos() / 1e9,
        errorType,
        span.getAttribute(STATUS),
        attempts == null ? 1 : attempts,
        Boolean.TRUE.equals(span.getAttribute(CACHE_HIT)),
        span.getAttribute(FALLBACK_FROM) != null);
    if (shutdown || !queue.offer(span)) {
      dropped.incrementAndGet();
      metrics.recordDropped();
      return;
    }
    queued.incrementAndGet();
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  private static boolean isToolSpan(ReadableSpan span) {
    String operation = span.getAttribute(OPERATION_NAME);
    return operation != null
        ? operation.equals(EXECUTE_TOOL)
        : span.getName().startsWith(EXECUTE_TOOL + " ");
  }

  /* The worker: takes ended spans until interrupted by shutdown, then delivers what is left. */
  private void deliver() {
    while (true) {
      ReadableSpan span;
      try {
        span = queue.take();
      } catch (InterruptedException e) {
        while ((span = queue.poll()) != null) {
          deliverAndCount(span);
        }
        return;
      }
      deliverAndCount(span);
    }
  }

  private void deliverAndCount(ReadableSpan span) {
    try {
      deliver(span);
    } finally {
      handled.incrementAndGet();
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  private void deliver(ReadableSpan span) {
    SpanData data = span.toSpanData();
    ToolSpanReader.Reading reading =
        ToolSpanReader.read(
            data.getTraceId(),
            data.getSpanId(),
            data.getName(),
            data.getStartEpochNanos(),
            data.getEndEpochNanos(),
            data.getStatus().getStatusCode() == StatusCode.ERROR,
            data.getAttributes());
    ExecutionRecord record = reading.record();
    if (record == null) {
      skipped.incrementAndGet();
      return;
    }
    if (!reading.defaulted().isEmpty()) {
      defaulted.incrementAndGet();
    }
    for (Consumer<ExecutionRecord> subscriber : subscribers) {
      try {
        subscriber.accept(record);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "execution record subscriber " + subscriber + " threw", e);
      }
    }
  }

  /** Completes when every record queued before this call has been delivered (or dropped). */
  @Override
  public CompletableResultCode forceFlush() {
    long target = queued.get();
    CompletableResultCode code = new CompletableResultCode();
    Thread.ofVirtual()
        .start(
            () -> {
              synchronized (progress) {
                while (handled.get() < target && worker.isAlive()) {
                  try {
                    progress.wait(1_000); // woken by every delivery; the timeout only re-checks
                    // that the worker is still alive
                  } catch (InterruptedException e) {
                    code.fail();
                    return;
                  }
                }
              }
              code.succeed();
            });
    return code;
  }

  /** Stops taking records, delivers what is queued, then stops the thread. */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    worker.interrupt();
    CompletableResultCode code = new CompletableResultCode();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                worker.join();
                code.succeed();
              } catch (InterruptedException e) {
                code.fail();
              }
            });
    return code;
  }

  /** Counts for logs: queued, delivered, dropped, skipped. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("queued=" + queued.get());
    parts.add("handled=" + handled.get());
    parts.add("dropped=" + dropped.get());
    parts.add("skipped=" + skipped.get());
    return "ExecutionRecordProcessor[" + String.join(", ", parts) + "]";
  }
}
