package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.internal.SpillFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Puts records into an {@link ExecutionHistoryStore} off the caller's thread, in batches, and rides
 * out a store that is slow, down or restarting.
 *
 * <p>{@link #offer} never waits for the store and never throws because of it: the record goes into
 * a bounded in-memory buffer ({@link Builder#capacity}). When the buffer is full, the record is
 * appended to a spill file on disk if a {@linkplain Builder#spillDirectory spill directory} is set,
 * otherwise it is dropped and counted ({@link #dropped()}) — never lost silently. One daemon
 * thread, {@code parallax-history-writer}, appends batches of up to {@link Builder#batchSize}
 * records; when an append fails it keeps the batch and tries it again after an exponential backoff
 * (up to {@link Builder#maxBackoff}), for as long as it takes; then it delivers what was spilled.
 * Appends are idempotent (records are stored by id), so a batch that reached the store before the
 * failure was noticed is stored once. Records the store rejects are counted and passed to the
 * {@link Listener}. Spill files left by a previous process are delivered too.
 *
 * <p>Thread-safe. Build with {@link #builder(ExecutionHistoryStore)}; the builder is not.
 */
public final class BufferedHistoryWriter implements AutoCloseable {

  /** Hears what the writer does, on its thread; must be quick and must not throw. */
  public interface Listener {
    /** A batch of {@code accepted} records was acknowledged by the store. */
    default void delivered(int accepted) {}

    /** The store rejected a record. */
    default void rejected(Rejection rejection) {}

    /** An append failed; the batch will be tried again. */
    default void failed(RuntimeException error) {}
  }

  private static final Logger LOG = Logger.getLogger(BufferedHistoryWriter.class.getName());
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final ExecutionHistoryStore store;
  private final BlockingQueue<ExecutionRecord> queue;
  private final int batchSize;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final @Nullable SpillFiles spill;
  private final Listener listener;
  private final Thread worker;
  private final Object progress = new Object();
  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean closing;
  private volatile boolean idle;

  private BufferedHistoryWriter(Builder b) {
    this.store = b.store;
    this.queue = new ArrayBlockingQueue<>(b.capacity);
    this.batchSize = b.batchSize;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.listener = b.listener;
    try {
      this.spill = b.spillDirectory == null ? null : new SpillFiles(b.spillDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spill directory " + b.spillDirectory, e);
    }
    if (spill != null) {
      taken.addAndGet(spill.pending());
    }
    this.worker = Thread.ofPlatform().name("parallax-history-writer").daemon(true).start(this::run);
  }

  /** Starts a writer into {@code store}. */
  public static Builder builder(ExecutionHistoryStore store) {
    return new Builder(store);
  }

  /**
   * Takes a record for the store without waiting for it.
   *
   * @return {@code true} if the record was buffered or spilled to disk; {@code false} if it was
   *     dropped (buffer full and no spill directory, spilling failed, or the writer is closed) and
   *     counted in {@link #dropped()}
   */
  public boolean offer(ExecutionRecord record) {
    Objects.requireNonNull(record, "record");
    if (closing) {
      dropped.incrementAndGet();
      return false;
    }
    taken.incrementAndGet();
    if (queue.offer(record)) {
      if (idle && queue.size() >= batchSize) {
        LockSupport.unpark(worker);
      }
      return true;
    }
    if (spill != null) {
      try {
        spill.append(record);
        spilled.incrementAndGet();
        return true;
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cannot spill a history record to disk; dropping it", e);
      }
    }
    taken.decrementAndGet();
    dropped.incrementAndGet();
    return false;
  }

  /**
   * Waits until every record taken before this call has been acknowledged or rejected by the store.
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long target = taken.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    LockSupport.unpark(worker);
    synchronized (progress) {
      while (handled.get() < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return true;
  }

  /** Records acknowledged by the store. */
  public long delivered() {
    return delivered.get();
  }

  /** Records the store rejected as bad. */
  public long rejected() {
    return rejected.get();
  }

  /** Records dropped: buffer full without a spill directory, or offered after {@link #close}. */
  public long dropped() {
    return dropped.get();
  }

  /** Records that overflowed the buffer into spill files (delivered later). */
  public long spilled() {
    return spilled.get();
  }

  /** Appends that failed and were retried. */
  public long failures() {
    return failures.get();
  }

  /** Records taken and not yet acknowledged or rejected. */
  public long pending() {
    return taken.get() - handled.get();
  }

  private void run() {
    long backoff = minBackoff.toNanos();
    List<ExecutionRecord> batch = new ArrayList<>(batchSize);
    while (true) {
      if (batch.isEmpty()) {
        queue.drainTo(batch, batchSize);
      }
      if (batch.isEmpty() && spill != null && spill.pending() > 0 && deliverSpill()) {
        continue;
      }
      if (batch.isEmpty()) {
        if (closing) {
          return;
        }
        idle = true;
        if (queue.isEmpty()) {
          LockSupport.parkNanos(this, IDLE_NANOS);
        }
        idle = false;
        continue;
      }
      if (append(batch)) {
        batch.clear();
        backoff = minBackoff.toNanos();
      } else {
        if (closing) {
          abandon(batch);
          return;
        }
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(backoff * 2, maxBackoff.toNanos());
      }
    }
  }

  /* Delivers the oldest spill file; false if the store failed (retried on the next turn). */
  private boolean deliverSpill() {
    try {
      SpillFiles files = Objects.requireNonNull(spill);
      files.rotate();
      Path file = files.oldestClosed();
      if (file == null) {
        return false;
      }
      List<ExecutionRecord> records = SpillFiles.read(file);
      for (int from = 0; from < records.size(); from += batchSize) {
        List<ExecutionRecord> part =
            records.subList(from, Math.min(records.size(), from + batchSize));
        long backoff = minBackoff.toNanos();
        while (!append(part)) {
          if (closing) {
            // the file stays; what was delivered from it is stored again next time, once
            return false;
          }
          LockSupport.parkNanos(this, backoff);
          backoff = Math.min(backoff * 2, maxBackoff.toNanos());
        }
      }
      files.delivered(file, records.size());
      return true;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read back spilled history records", e);
      return false;
    }
  }

  private boolean append(List<ExecutionRecord> batch) {
    AppendResult result;
    try {
      result = store.append(batch);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      listener.failed(e);
      return false;
    }
    for (Rejection r : result.rejected()) {
      rejected.incrementAndGet();
      LOG.warning(r.message());
      listener.rejected(r);
    }
    delivered.addAndGet(batch.size() - result.rejected().size());
    listener.delivered(result.accepted());
    handled(batch.size());
    return true;
  }

  private void handled(int n) {
    handled.addAndGet(n);
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void abandon(List<ExecutionRecord> batch) {
    List<ExecutionRecord> left = new ArrayList<>(batch);
    queue.drainTo(left);
    for (ExecutionRecord r : left) {
      boolean kept = false;
      if (spill != null) {
        try {
          spill.append(r);
          spilled.incrementAndGet();
          kept = true;
        } catch (IOException e) {
          LOG.log(Level.WARNING, "cannot spill a history record to disk at close", e);
        }
      }
      if (!kept) {
        dropped.incrementAndGet();
      }
    }
  }

  /**
   * Stops taking records and gives the store up to {@code timeout} to take what is buffered;
   * records still not delivered then stay in the spill directory (delivered by the next writer on
   * it) or, without one, are counted as dropped.
   */
  public void close(Duration timeout) {
    try {
      flush(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closing = true;
    LockSupport.unpark(worker);
    try {
      worker.join();
      if (spill != null) {
        spill.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot close the spill file", e);
    }
  }

  /** {@link #close(Duration)} with 10 seconds. Does not close the store. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "BufferedHistoryWriter[delivered="
        + delivered.get()
        + ", pending="
        + pending()
        + ", rejected="
        + rejected.get()
        + ", spilled="
        + spilled.get()
        + ", dropped="
        + dropped.get()
        + ", failures="
        + failures.get()
        + "]";
  }

  /** Options of a {@link BufferedHistoryWriter}. Not thread-safe. */
  public static final class Builder {
    private final ExecutionHistoryStore store;
    private int capacity = 10_000;
    private int batchSize = 500;
    private Duration minBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private @Nullable Path spillDirectory;
    private Listener listener = new Listener() {};

    private Builder(ExecutionHistoryStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Records buffered in memory (default 10,000). */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
      }
      this.capacity = capacity;
      return this;
    }

    /** Most records per append (default 500). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Backoff after a failed append, doubling up to {@code max} (default 50 ms to 5 s). */
    public Builder backoff(Duration min, Duration max) {
      if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < min <= max, was " + min + ", " + max);
      }
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /** Where records that overflow the buffer are kept until delivered (default: none, dropped). */
    public Builder spillDirectory(Path directory) {
      this.spillDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Hears deliveries, rejections and failures. */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Builds the writer and starts its thread. */
    public BufferedHistoryWriter build() {
      return new BufferedHistoryWriter(this);
    }
  }
}
