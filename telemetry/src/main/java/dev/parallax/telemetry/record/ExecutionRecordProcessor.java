package dev.parallax.telemetry.record;

import static dev.parallax.core.trace.ToolSpanAttributes.*;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.ExecutionRecordSink;
import dev.parallax.telemetry.internal.BoundedHandoff;
import dev.parallax.telemetry.internal.Subscribers;
import dev.parallax.telemetry.metrics.ToolMetrics;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Takes the engine's {@link ExecutionRecord}s — register it with {@code
 * ToolExecutor.Builder.recordSink} — records the tool metrics from them and hands them to any
 * number of subscribers (the history writer, the model trainer) on a thread of its own. The records
 * are the engine's own facts, not read back from spans: no span attribute is parsed. As a {@link
 * SpanProcessor} of the SDK it only counts the tool calls in flight (by span name) and takes part
 * in the SDK's flush and shutdown.
 *
 * <p>Metrics, from the records: {@value ToolMetrics#DURATION} is recorded per attempt (its own
 * latency, by tool and {@code error.type}); retries count attempts beyond the first; timeouts,
 * cache hits and fallbacks count calls, from each call's final record. Calls that never started
 * have no duration.
 *
 * <p><b>No record is dropped while the subscribers keep up on average.</b> Records go into a
 * bounded queue ({@link #DEFAULT_CAPACITY} by default); one daemon thread, {@code
 * parallax-records}, calls the subscribers in order. When the queue is full, the thread emitting a
 * record (the engine's) <em>waits</em> for room (back-pressure, counted in {@link
 * #backpressureWaits()} and the {@value ToolMetrics#BACKPRESSURE_WAITS} metric) instead of dropping
 * the record. Why block rather than drop or spill: the records are the training data and the
 * history, and an executor can emit records far faster than any store takes them (a 1M-call burst
 * outruns any fixed queue), so dropping loses most of a burst; spilling here would put disk I/O and
 * a second copy of the history writer's spill into the telemetry module. Waiting slows only the
 * runs that produce records faster than the subscribers take them, to the subscribers' pace, while
 * memory stays bounded by the capacity. The wait is bounded by the subscribers' progress: an emit
 * waits as long as the subscribers take a record every {@linkplain #DEFAULT_STALL_TIMEOUT stall
 * timeout}; when they take none for a whole stall timeout (a subscriber is stuck), the record is
 * dropped and counted ({@link #dropped()}, {@value ToolMetrics#DROPPED}), and later emits that find
 * the queue full drop at once, without waiting, until the subscribers move again — so a stuck
 * subscriber costs the executor one stall timeout, not one per call. A stall is logged when it
 * starts and when it ends, with the number of records dropped; back-pressure is logged when an
 * episode starts (thinned out when episodes repeat: the 1st, 2nd, 4th, 8th…). A record emitted on
 * the processor's own thread (by a subscriber) never waits.
 *
 * <p><b>Subscribers are isolated.</b> Whatever a subscriber throws — an {@link Error} included — is
 * caught, logged (thinned out when it repeats), counted ({@link #subscriberFailures()}, {@value
 * ToolMetrics#SUBSCRIBER_FAILURES}) and skipped for that record: the thread never dies from
 * subscriber code and the other subscribers get every record. Should the thread still die (an
 * {@code Error} in the processor's own code, such as an out-of-memory), the record in hand and
 * everything queued is counted as dropped, every later record is dropped and counted, and {@link
 * #forceFlush()} and {@link #shutdown()} report failure.
 *
 * <p>The thread is woken when a batch has gathered (or every {@value #MAX_IDLE_MILLIS} ms), not for
 * every record, so a busy executor does not pay a thread wake-up per call. {@link #forceFlush()}
 * completes when every record queued before it was delivered; {@link #shutdown()} stops taking
 * records, delivers what is queued, then stops the thread.
 *
 * <p>Thread-safe. Register it with {@code ToolExecutor.Builder.recordSink}, and with {@code
 * SdkTracerProviderBuilder.addSpanProcessor} for the in-flight count and the SDK's flush and
 * shutdown ({@code ParallaxTelemetry} does the latter).
 */
public final class ExecutionRecordProcessor implements SpanProcessor, ExecutionRecordSink {

  /**
   * Default capacity of the queue between the engine and the subscribers: 16,384 records, so that a
   * fan-out of 10,000 calls fits while the subscribers catch up and the engine does not wait for
   * them within one burst of that size (a few MB of records at most).
   */
  public static final int DEFAULT_CAPACITY = 16_384;

  /**
   * Default time the subscribers may take no record before emits stop waiting: 5 seconds, well
   * beyond a garbage-collection pause or a slow disk write, so that only a stuck subscriber drops.
   */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = Logger.getLogger(ExecutionRecordProcessor.class.getName());

  /** Longest time a queued record waits for the worker when fewer than a batch are queued. */
  static final long MAX_IDLE_MILLIS = 50;

  private static final int BATCH = 64;

  private final BoundedHandoff<ExecutionRecord> queue;
  private final Subscribers<ExecutionRecord> subscribers;
  private final ToolMetrics metrics;
  private final Duration stallTimeout;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong defaulted = new AtomicLong();
  private final AtomicLong backpressureWaits = new AtomicLong();
  private final AtomicBoolean backpressure = new AtomicBoolean();
  private final AtomicLong backpressureEpisodes = new AtomicLong();
  private final AtomicLong droppedInStall = new AtomicLong();
  private final Queue<Flush> flushes = new ConcurrentLinkedQueue<>();
  private final CompletableResultCode stopped = new CompletableResultCode();
  private final Thread worker;
  private volatile boolean workerParked;
  private volatile boolean shutdown;
  private volatile boolean ended;
  private volatile @Nullable Throwable death;
  private @Nullable ExecutionRecord inHand;

  private record Flush(long target, CompletableResultCode code) {}

  /**
   * Creates the processor with the {@linkplain #DEFAULT_STALL_TIMEOUT default stall timeout} and
   * starts its thread.
   *
   * @param capacity how many records may wait for the subscribers
   * @param meterProvider where the tool metrics go ({@code MeterProvider.noop()} for none)
   * @throws IllegalArgumentException if the capacity is below 1
   */
  public ExecutionRecordProcessor(int capacity, MeterProvider meterProvider) {
    this(capacity, DEFAULT_STALL_TIMEOUT, meterProvider);
  }

  /**
   * Creates the processor and starts its thread.
   *
   * @param capacity how many records may wait for the subscribers
   * @param stallTimeout how long the subscribers may take no record before emits stop waiting for
   *     room and drop (see the class comment); {@link Duration#ZERO} never waits
   * @param meterProvider where the tool metrics go ({@code MeterProvider.noop()} for none)
   * @throws IllegalArgumentException if the capacity is below 1 or the stall timeout negative
   */
  public ExecutionRecordProcessor(
      int capacity, Duration stallTimeout, MeterProvider meterProvider) {
    if (capacity < 1) {
      throw new IllegalArgumentException("record queue capacity must be >= 1, was " + capacity);
    }
    if (stallTimeout.isNegative()) {
      throw new IllegalArgumentException("stall timeout must be >= 0, was " + stallTimeout);
    }
    this.stallTimeout = stallTimeout;
    this.queue = new BoundedHandoff<>(capacity, saturatedNanos(stallTimeout));
    this.metrics = new ToolMetrics(meterProvider.get(INSTRUMENTATION_SCOPE));
    this.subscribers =
        new Subscribers<>(LOG, "execution record subscriber", metrics::subscriberFailed);
    metrics.observeQueue(queue::size);
    this.worker = Thread.ofPlatform().name("parallax-records").daemon(true).start(this::run);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Calls {@code subscriber} with every record from now on, on the processor's thread, in the order
   * the records were emitted. It should be quick: while it runs, records queue up and, past the
   * capacity, the threads emitting records wait. What it throws is logged, counted and skipped.
   *
   * @return closing it unsubscribes
   */
  public AutoCloseable subscribe(Consumer<ExecutionRecord> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    return subscribers.add(subscriber);
  }

  /**
   * Records dropped: the subscribers were stuck for a stall timeout, the record came after {@link
   * #shutdown()}, or the processor's thread died.
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * Records that could not be delivered because they were malformed; always 0 since the records
   * come from the engine rather than from spans.
   *
   * @deprecated records are no longer read from spans; kept for source compatibility
   */
  @Deprecated
  public long skipped() {
    return skipped.get();
  }

  /**
   * Records delivered with at least one defaulted field; always 0 since the records come from the
   * engine rather than from spans.
   *
   * @deprecated records are no longer read from spans; kept for source compatibility
   */
  @Deprecated
  public long defaulted() {
    return defaulted.get();
  }

  /** Subscriber calls that threw (anything, {@link Error}s included). */
  public long subscriberFailures() {
    return subscribers.failures();
  }

  /** Span ends that had to wait for room in the queue. */
  public long backpressureWaits() {
    return backpressureWaits.get();
  }

  /** Whether the processor's thread died; {@link #forceFlush()} then reports failure. */
  public boolean failed() {
    return death != null;
  }

  /** Counts a tool call in flight (by the span's name: no attribute is read). */
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

  /** Counts a tool call no longer in flight; the record comes from the engine, not the span. */
  @Override
  public void onEnd(ReadableSpan span) {
    if (isToolSpan(span)) {
      metrics.callStopped();
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  private static boolean isToolSpan(ReadableSpan span) {
    return span.getName().startsWith(EXECUTE_TOOL + " ");
  }

  /**
   * Takes one record from the engine: records its metrics and queues it for the subscribers,
   * waiting for room while the queue is full (see the class comment). Never throws.
   */
  @Override
  public void accept(ExecutionRecord record) {
    metrics.recordEnded(record);
    if (shutdown || ended) {
      drop(1);
      return;
    }
    BoundedHandoff.Outcome outcome = queue.offer(record, Thread.currentThread() != worker);
    switch (outcome) {
      case QUEUED -> {}
      case QUEUED_AFTER_WAIT -> waited();
      case STALL_STARTED -> {
        waited();
        droppedInStall.incrementAndGet();
        drop(1);
        LOG.warning(
            "execution record subscribers took no record for "
                + stallTimeout
                + ": a subscriber is stuck; tool records are dropped (and counted) until they"
                + " move again");
        return;
      }
      case STALLED -> {
        droppedInStall.incrementAndGet();
        drop(1);
        return;
      }
      case CLOSED -> {
        drop(1);
        return;
      }
    }
    long count = queued.incrementAndGet();
    if (ended) {
      // the thread stopped after this record was queued: nobody will take it
      dropQueued();
    } else if (workerParked && count - handled.get() >= BATCH) {
      wakeWorker();
    }
  }

  private void waited() {
    backpressureWaits.incrementAndGet();
    metrics.backpressureWait();
    if (!backpressure.get() && backpressure.compareAndSet(false, true)) {
      long episode = backpressureEpisodes.incrementAndGet();
      if (Long.bitCount(episode) == 1) {
        LOG.info(
            "the execution record queue is full: threads emitting records wait for the record"
                + " subscribers (back-pressure episode "
                + episode
                + "; the 1st, 2nd, 4th, 8th… are logged)");
      }
    }
    wakeWorker();
  }

  private void drop(long n) {
    dropped.addAndGet(n);
    metrics.recordsDropped(n);
  }

  private void wakeWorker() {
    workerParked = false;
    LockSupport.unpark(worker);
  }

  /* The worker: delivers what is queued, parks when idle, ends after shutdown once empty. */
  private void run() {
    Throwable cause = null;
    try {
      deliverAll();
    } catch (Throwable t) {
      cause = t;
    } finally {
      end(cause);
    }
  }

  private void deliverAll() {
    while (true) {
      ExecutionRecord record;
      int n = 0;
      while ((record = queue.poll()) != null) {
        inHand = record;
        subscribers.deliver(record);
        inHand = null;
        handled.incrementAndGet();
        if (queue.stalled() && queue.endStall()) {
          LOG.warning(
              "execution record subscribers move again; "
                  + droppedInStall.getAndSet(0)
                  + " record(s) were dropped while they were stuck");
        }
        if (++n % BATCH == 0) {
          completeFlushes();
        }
      }
      completeFlushes();
      if (backpressure.get() && queue.isEmpty() && backpressure.compareAndSet(true, false)) {
        LOG.fine("the execution record subscribers caught up with the engine");
      }
      if (shutdown) {
        if (queue.isEmpty()) {
          return;
        }
        continue;
      }
      // a subscriber may have interrupted this thread; parking would not wait then
      Thread.interrupted();
      workerParked = true;
      if (queue.isEmpty()) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MILLIS));
      }
      workerParked = false;
    }
  }

  private void completeFlushes() {
    if (flushes.isEmpty()) {
      return;
    }
    long done = handled.get();
    for (Iterator<Flush> it = flushes.iterator(); it.hasNext(); ) {
      Flush f = it.next();
      if (f.target() <= done) {
        f.code().succeed();
        it.remove();
      }
    }
  }

  /* The thread's last act: after a clean shutdown cause is null. */
  private void end(@Nullable Throwable cause) {
    try {
      if (cause != null) {
        death = cause;
        LOG.log(
            Level.SEVERE,
            "the parallax-records thread died; queued and later tool records are dropped and"
                + " counted, and flushes report failure",
            cause);
        if (inHand != null) {
          drop(1);
          inHand = null;
        }
      }
    } finally {
      ended = true;
      queue.close();
      dropQueued();
      for (Flush f; (f = flushes.poll()) != null; ) {
        complete(f.code());
      }
      complete(stopped);
    }
  }

  private void dropQueued() {
    long n = 0;
    while (queue.poll() != null) {
      n++;
    }
    drop(n);
  }

  private void complete(CompletableResultCode code) {
    if (death == null) {
      code.succeed();
    } else {
      code.fail();
    }
  }

  /**
   * Completes when every record queued before this call has been delivered to the subscribers;
   * fails if the processor's thread died (then the undelivered records are counted as dropped).
   */
  @Override
  public CompletableResultCode forceFlush() {
    if (ended) {
      return death == null ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    }
    long target = queued.get();
    if (handled.get() >= target) {
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode code = new CompletableResultCode();
    flushes.add(new Flush(target, code));
    if (ended) {
      // the thread ended while this flush was being added: it may not have seen it
      complete(code);
    }
    wakeWorker();
    return code;
  }

  /**
   * Stops taking records (records emitted from now on are dropped and counted), delivers what is
   * queued, then stops the thread. The result fails if the thread died.
   */
  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    wakeWorker();
    return stopped;
  }

  /** Counts for logs: queued, delivered, dropped, skipped. */
  @Override
  public String toString() {
    return "ExecutionRecordProcessor[queued="
        + queued.get()
        + ", handled="
        + handled.get()
        + ", dropped="
        + dropped.get()
        + ", skipped="
        + skipped.get()
        + ", subscriberFailures="
        + subscribers.failures()
        + ", backpressureWaits="
        + backpressureWaits.get()
        + (death != null ? ", thread died: " + death : "")
        + "]";
  }
}
