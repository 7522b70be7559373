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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every ended {@code execute_tool} span into an {@link ExecutionRecord} and hands it to any
 * number of subscribers (the history writer, the model trainer), and records the tool metrics.
 *
 * <p>It never blocks the thread that ends a span: ended tool spans go into a bounded lock-free
 * queue; when the queue is full the record is dropped and counted ({@link #dropped()} and the
 * {@value ToolMetrics#DROPPED} counter). One daemon thread, {@code parallax-records}, maps the
 * spans to records in batches and calls the subscribers in order; a subscriber that throws is
 * logged and skipped. The thread is woken when a batch has gathered (or every {@value
 * #MAX_IDLE_MILLIS} ms), not for every span, so a busy executor does not pay a thread wake-up per
 * call. {@link #forceFlush()} completes when every record queued before it was delivered; {@link
 * #shutdown()} delivers what is queued, then stops the thread.
 *
 * <p>Thread-safe. Register it with {@code SdkTracerProviderBuilder.addSpanProcessor}.
 */
public final class ExecutionRecordProcessor implements SpanProcessor {

  /** Default capacity of the queue between span ends and subscribers. */
  public static final int DEFAULT_CAPACITY = 8192;

  private static final Logger LOG = Logger.getLogger(ExecutionRecordProcessor.class.getName());

  /** Longest time a queued record waits for the worker when fewer than a batch are queued. */
  static final long MAX_IDLE_MILLIS = 50;

  private static final int BATCH = 64;

  private final Queue<ReadableSpan> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;
  private volatile boolean workerParked;
  private final List<Consumer<ExecutionRecord>> subscribers = new CopyOnWriteArrayList<>();
  private final ToolMetrics metrics;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong defaulted = new AtomicLong();
  private final Object progress = new Object();
  private final AtomicInteger flushes = new AtomicInteger();
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
    this.capacity = capacity;
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
    if (shutdown || size.incrementAndGet() > capacity) {
      if (!shutdown) {
        size.decrementAndGet();
      }
      dropped.incrementAndGet();
      metrics.recordDropped();
      return;
    }
    queue.offer(span);
    long count = queued.incrementAndGet();
    if (workerParked && count - handled.get() >= BATCH) {
      wakeWorker();
    }
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

  private void wakeWorker() {
    workerParked = false;
    LockSupport.unpark(worker);
  }

  /* The worker: delivers what is queued, parks when idle, ends after shutdown once empty. */
  private void deliver() {
    while (true) {
      ReadableSpan span;
      while ((span = queue.poll()) != null) {
        size.decrementAndGet();
        deliverAndCount(span);
      }
      if (shutdown) {
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      workerParked = true;
      if (queue.isEmpty()) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MILLIS));
      }
      workerParked = false;
    }
  }

  private void deliverAndCount(ReadableSpan span) {
    try {
      deliver(span);
    } finally {
      handled.incrementAndGet();
      if (flushes.get() > 0) {
        synchronized (progress) {
          progress.notifyAll();
        }
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
    Thread.ofVirtual().start(() -> awaitHandled(target, code));
    wakeWorker();
    return code;
  }

  private void awaitHandled(long target, CompletableResultCode code) {
    flushes.incrementAndGet();
    try {
      synchronized (progress) {
        while (handled.get() < target && worker.isAlive()) {
          // woken by every delivery while a flush waits; the timeout re-checks the worker lives
          progress.wait(1_000);
        }
      }
      code.succeed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code.fail();
    } finally {
      flushes.decrementAndGet();
    }
  }

  /** Stops taking records, delivers what is queued, then stops the thread. */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    wakeWorker();
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
