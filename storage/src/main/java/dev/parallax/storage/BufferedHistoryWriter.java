package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.internal.OfferGate;
import dev.parallax.storage.internal.SpillFiles;
import io.opentelemetry.api.metrics.MeterProvider;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Puts records into an {@link ExecutionHistoryStore} off the caller's thread, in batches, and rides
 * out a store that is slow, down or restarting — without losing a record it accepted.
 *
 * <p><b>Offering.</b> {@link #offer} never waits for the store and never throws because of it. The
 * record goes into a bounded in-memory buffer ({@link Builder#capacity}, 10,000 by default), so
 * memory stays bounded whatever the store does. When the buffer is full the record is appended to a
 * spill file on disk — in the {@linkplain Builder#spillDirectory spill directory}, or a {@linkplain
 * Builder#temporarySpill temporary one} — and only without a spill (or when the disk fails) is it
 * refused: dropped and counted ({@link #dropped()}), never silently. An offer after {@link #close}
 * returns {@code false} and is counted the same way. Spilling costs one {@code write} per record;
 * nothing touches the disk while the buffer has room.
 *
 * <p><b>Delivering.</b> One daemon thread, {@code parallax-history-writer}, appends batches of up
 * to {@link Builder#batchSize} records from the buffer; when an append fails it keeps the batch and
 * tries it again after an exponential backoff (up to {@link Builder#maxBackoff}), for as long as it
 * takes. When the buffer is empty it delivers the spill files, oldest first, in batches, deleting
 * each once the store acknowledged all of it. Spill files left by a previous process (a crash, or a
 * close while the store was down) are delivered the same way, so a record once spilled is stored
 * eventually. Appends are idempotent (records are stored by id), so a batch that reached the store
 * before a failure was noticed, or a spill file delivered again after a crash, is stored once.
 * Records the store rejects as bad are counted and passed to the {@link Listener}.
 *
 * <p><b>Accounting.</b> Every record accepted ({@code offer} returned {@code true}) ends as exactly
 * one of: delivered ({@link #delivered()}), rejected ({@link #rejected()}), dropped when it could
 * not be kept at close ({@link #dropped()}), or still pending in a spill file at close ({@link
 * #pending()}), to be delivered by the next writer on that directory.
 *
 * <p><b>Reporting.</b> Each episode is logged once when it starts and once when it ends, never per
 * record: the buffer overflowing to disk, records being dropped, the store failing. The counts are
 * exported as metrics ({@link HistoryMetrics}) when a {@linkplain Builder#meterProvider meter
 * provider} is given. The {@link Listener} is called in isolation: what it throws is logged and
 * ignored.
 *
 * <p>Thread-safe. Build with {@link #builder(ExecutionHistoryStore)}; the builder is not.
 */
public final class BufferedHistoryWriter implements AutoCloseable {

  /** Hears what the writer does, on its thread; should be quick; what it throws is ignored. */
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
  private static final long JOIN_MILLIS = 30_000;

  private final ExecutionHistoryStore store;
  private final BlockingQueue<ExecutionRecord> queue;
  private final int capacity;
  private final int batchSize;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final @Nullable SpillFiles spill;
  private final Listener listener;
  private final HistoryMetrics metrics;
  private final OfferGate gate = new OfferGate();
  private final Thread worker;
  private final Object progress = new Object();
  private final AtomicLong taken = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicBoolean spilling = new AtomicBoolean();
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final AtomicBoolean lateOffers = new AtomicBoolean();
  private final AtomicBoolean closedOnce = new AtomicBoolean();
  private final AtomicLong episodeStart = new AtomicLong();
  private final AtomicLong dropEpisodes = new AtomicLong();
  private long failingSince;
  private volatile boolean stopping;
  // the batch in the writer thread's hands; touched by that thread only
  private final List<ExecutionRecord> batch = new ArrayList<>();
  private volatile boolean idle;

  private BufferedHistoryWriter(Builder b) {
    this.store = b.store;
    this.capacity = b.capacity;
    this.queue = new ArrayBlockingQueue<>(b.capacity);
    this.batchSize = b.batchSize;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.listener = b.listener;
    Path dir = b.spillDirectory;
    try {
      this.spill =
          dir != null
              ? SpillFiles.in(dir, SpillFiles.DEFAULT_RECORDS_PER_FILE)
              : b.temporarySpill ? SpillFiles.temporary(SpillFiles.DEFAULT_RECORDS_PER_FILE) : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spill directory " + dir, e);
    }
    if (spill != null && spill.pending() > 0) {
      taken.addAndGet(spill.pending());
      LOG.info(
          spill.pending()
              + " history record(s) spilled by an earlier writer in "
              + spill.directory()
              + " will be delivered to "
              + store);
    }
    this.metrics =
        new HistoryMetrics(
            b.meterProvider, this::pending, () -> spill == null ? 0 : spill.pending());
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
   *     dropped (buffer full and no spill, spilling failed, or the writer is closed) and counted in
   *     {@link #dropped()}
   */
  public boolean offer(ExecutionRecord record) {
    Objects.requireNonNull(record, "record");
    if (!gate.enter()) {
      drop(1);
      if (lateOffers.compareAndSet(false, true)) {
        LOG.warning("history records offered after the writer was closed are dropped (counted)");
      }
      return false;
    }
    try {
      if (queue.offer(record)) {
        // counted once kept: pending() may dip below zero for a moment, never stay above it
        taken.incrementAndGet();
        if (idle && queue.size() >= batchSize) {
          LockSupport.unpark(worker);
        }
        if (dropping.get()) {
          keptAgain();
        }
        return true;
      }
      if (spill != null) {
        try {
          spill.append(record);
          taken.incrementAndGet();
          spilled.incrementAndGet();
          metrics.spilled(1);
          if (!spilling.get()) {
            startSpilling();
          }
          if (dropping.get()) {
            keptAgain();
          }
          return true;
        } catch (IOException | RuntimeException e) {
          startDropping("the history record could not be spilled to disk", e);
        }
      } else {
        startDropping(
            "the history buffer of "
                + capacity
                + " records is full and no spill directory is set ("
                + store
                + " is behind)",
            null);
      }
      drop(1);
      return false;
    } finally {
      gate.leave();
    }
  }

  private void drop(long n) {
    dropped.addAndGet(n);
    metrics.dropped(n);
  }

  private void startSpilling() {
    if (spilling.compareAndSet(false, true)) {
      LOG.warning(
          "history store "
              + store
              + " is behind: the buffer of "
              + capacity
              + " records is full; records are spilled to "
              + Objects.requireNonNull(spill).directory()
              + " and delivered when it catches up");
    }
  }

  /* Drop episodes are logged when they start and end; the 1st, 2nd, 4th, 8th… of them. */
  private void startDropping(String why, @Nullable Throwable error) {
    if (dropping.compareAndSet(false, true)) {
      episodeStart.set(dropped.get());
      long episode = dropEpisodes.incrementAndGet();
      if (Long.bitCount(episode) == 1) {
        LOG.log(
            Level.WARNING,
            why
                + "; history records are dropped (counted) until it can (episode "
                + episode
                + "; the 1st, 2nd, 4th, 8th… are logged)",
            error);
      }
    }
  }

  private void keptAgain() {
    if (dropping.compareAndSet(true, false) && Long.bitCount(dropEpisodes.get()) == 1) {
      LOG.warning(
          "history records are kept again; "
              + (dropped.get() - episodeStart.get())
              + " were dropped meanwhile (episode "
              + dropEpisodes.get()
              + ", "
              + dropped.get()
              + " in all)");
    }
  }

  /**
   * Waits until every record taken before this call has been acknowledged or rejected by the store.
   *
   * @return whether that happened within {@code timeout}
   * @throws InterruptedException if interrupted while waiting
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

  /**
   * Records never stored: refused by {@link #offer} (closed, or buffer full without a spill, or
   * spilling failed), or accepted but neither deliverable nor spillable at {@link #close}.
   */
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

  /** Records taken (offered or found in spill files) and not yet stored, rejected or dropped. */
  public long pending() {
    return taken.get() - handled.get();
  }

  /** Records waiting in spill files. */
  public long spillPending() {
    return spill == null ? 0 : spill.pending();
  }

  /** The spill directory in use, or {@code null} (none, or a temporary one not created yet). */
  public @Nullable Path spillDirectory() {
    return spill == null ? null : spill.directory();
  }

  // ------------------------------------------------------------------ the writer's thread

  /*
   * The thread survives whatever its own work throws (an out-of-memory while reading a spill file,
   * say): the batch in hand is a field, kept for the next turn; the error is logged (thinned out)
   * and the loop goes on after the longest backoff. Only close() ends it.
   */
  private void run() {
    long errors = 0;
    while (true) {
      try {
        deliverAll();
        return;
      } catch (Throwable t) {
        errors++;
        if (Long.bitCount(errors) == 1) {
          LOG.log(
              Level.SEVERE,
              "the parallax-history-writer thread failed ("
                  + errors
                  + " time(s)); it goes on with "
                  + pending()
                  + " record(s) pending",
              t);
        }
        if (stopping) {
          abandon(batch);
          return;
        }
        LockSupport.parkNanos(this, maxBackoff.toNanos());
      }
    }
  }

  private void deliverAll() {
    long backoff = minBackoff.toNanos();
    while (true) {
      if (batch.isEmpty()) {
        queue.drainTo(batch, batchSize);
      }
      if (batch.isEmpty()) {
        if (spill != null && spill.pending() > 0) {
          if (deliverSpillFile()) {
            continue;
          }
          if (stopping) {
            return; // the store still fails: the files stay for the next writer
          }
        }
        if (stopping) {
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
        if (stopping) {
          abandon(batch);
          return;
        }
        LockSupport.parkNanos(this, backoff);
        backoff = Math.min(backoff * 2, maxBackoff.toNanos());
      }
    }
  }

  /* Delivers the oldest spill file; false if nothing was delivered (store failing, disk error). */
  private boolean deliverSpillFile() {
    SpillFiles files = Objects.requireNonNull(spill);
    Path file;
    long torn;
    try {
      file = files.oldest();
      if (file == null) {
        return false;
      }
      try (SpillFiles.Reader reader = new SpillFiles.Reader(file)) {
        List<ExecutionRecord> part;
        while (!(part = reader.next(batchSize)).isEmpty()) {
          long backoff = minBackoff.toNanos();
          while (!append(part)) {
            if (stopping) {
              // the file stays; what was delivered from it is stored again next time, once
              return false;
            }
            LockSupport.parkNanos(this, backoff);
            backoff = Math.min(backoff * 2, maxBackoff.toNanos());
          }
        }
        torn = reader.torn();
      }
      files.delivered(file);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot read back spilled history records; retried later", e);
      if (!stopping) {
        LockSupport.parkNanos(this, maxBackoff.toNanos());
      }
      return false;
    }
    if (torn > 0) {
      // lines torn by a crash while written: their offers never returned
      handled(torn);
      LOG.warning(torn + " torn line(s) in spill file " + file + " skipped");
    }
    if (files.pending() == 0 && spilling.compareAndSet(true, false)) {
      LOG.info("history store " + store + " caught up: every spilled record was delivered");
    }
    return true;
  }

  private boolean append(List<ExecutionRecord> batch) {
    AppendResult result;
    try {
      result = store.append(batch);
    } catch (Throwable t) {
      appendFailed(t);
      return false;
    }
    if (failingSince > 0) {
      LOG.info(
          "history store " + store + " accepts appends again after " + failingSince + " failures");
      failingSince = 0;
    }
    for (Rejection r : result.rejected()) {
      rejected.incrementAndGet();
      LOG.warning(r.message());
      notify(() -> listener.rejected(r));
    }
    int accepted = batch.size() - result.rejected().size();
    delivered.addAndGet(accepted);
    metrics.delivered(accepted);
    metrics.rejected(result.rejected().size());
    notify(() -> listener.delivered(result.accepted()));
    handled(batch.size());
    return true;
  }

  private void appendFailed(Throwable t) {
    failures.incrementAndGet();
    metrics.failed();
    if (failingSince++ == 0) {
      LOG.log(
          Level.WARNING,
          "appending to history store "
              + store
              + " failed; records are kept (in memory, then spilled) and retried with backoff",
          t);
    }
    RuntimeException error =
        t instanceof RuntimeException e ? e : new HistoryStoreException("append failed", t);
    notify(() -> listener.failed(error));
  }

  private void notify(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      LOG.log(Level.WARNING, "history writer listener " + listener + " threw; ignored", t);
    }
  }

  private void handled(long n) {
    handled.addAndGet(n);
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  /* At close with the store failing: keep what is in memory on disk, or count it as dropped. */
  private void abandon(List<ExecutionRecord> inHand) {
    List<ExecutionRecord> left = new ArrayList<>(inHand);
    queue.drainTo(left);
    long lost = 0;
    for (ExecutionRecord r : left) {
      boolean kept = false;
      if (spill != null) {
        try {
          spill.append(r);
          spilled.incrementAndGet();
          metrics.spilled(1);
          kept = true;
        } catch (IOException | RuntimeException e) {
          if (lost == 0) {
            LOG.log(Level.WARNING, "cannot spill a history record to disk at close", e);
          }
        }
      }
      if (!kept) {
        lost++;
      }
    }
    if (lost > 0) {
      drop(lost);
      handled(lost);
      LOG.warning(lost + " history record(s) could not be stored nor spilled at close: dropped");
    }
  }

  // ------------------------------------------------------------------ closing

  /**
   * Stops taking records (offers from now on return {@code false}), then gives the store time to
   * take what is buffered and spilled <em>as long as it makes progress</em>: it gives up once
   * {@code timeout} passes without a record stored. Records still not delivered then are spilled
   * (delivered by the next writer on the same spill directory) or, without a spill, counted as
   * dropped; what is left is logged. Does not close the store. Idempotent.
   */
  public void close(Duration timeout) {
    if (!closedOnce.compareAndSet(false, true)) {
      return;
    }
    gate.close();
    boolean interrupted = false;
    try {
      awaitProgress(timeout);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    stopping = true;
    LockSupport.unpark(worker);
    try {
      // the append in progress finishes first; one stuck in the store is left on its own
      worker.join(Math.max(JOIN_MILLIS, timeout.toMillis()));
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (worker.isAlive()) {
      LOG.warning(
          "history store " + store + " did not return from an append; closing without waiting");
    }
    try {
      if (spill != null) {
        spill.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot close the spill file", e);
    }
    long left = pending();
    if (left > 0) {
      LOG.warning(
          "history writer closed with "
              + left
              + " record(s) not delivered to "
              + store
              + (spill != null && spill.directory() != null
                  ? "; they stay in " + spill.directory() + " for the next writer on it"
                  : ""));
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitProgress(Duration timeout) throws InterruptedException {
    long window = timeout.toNanos();
    LockSupport.unpark(worker);
    synchronized (progress) {
      long seen = handled.get();
      long deadline = System.nanoTime() + window;
      while (pending() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          long now = handled.get();
          if (now == seen) {
            return;
          }
          seen = now;
          deadline = System.nanoTime() + window;
          continue;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
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
    private boolean temporarySpill;
    private Listener listener = new Listener() {};
    private MeterProvider meterProvider = MeterProvider.noop();

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

    /**
     * Where records that overflow the buffer are kept until delivered; spill files found there at
     * start (left by an earlier writer) are delivered too. Default: no spill, overflowing records
     * are dropped and counted. The writer owns the directory: one writer at a time.
     *
     * @throws IllegalStateException if {@link #temporarySpill()} was chosen
     */
    public Builder spillDirectory(Path directory) {
      Objects.requireNonNull(directory, "directory");
      if (temporarySpill) {
        throw new IllegalStateException("temporarySpill() and spillDirectory(...) both set");
      }
      this.spillDirectory = directory;
      return this;
    }

    /**
     * Spills overflowing records into a temporary directory, created when first needed and deleted
     * once everything in it was delivered. Records still in it at {@link #close} are not delivered
     * by a later writer unless it is given that directory (its path is logged).
     *
     * @throws IllegalStateException if a {@link #spillDirectory} was given
     */
    public Builder temporarySpill() {
      if (spillDirectory != null) {
        throw new IllegalStateException("temporarySpill() and spillDirectory(...) both set");
      }
      this.temporarySpill = true;
      return this;
    }

    /** Hears deliveries, rejections and failures. */
    public Builder listener(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Where the {@link HistoryMetrics} go; default none. */
    public Builder meterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /**
     * Builds the writer and starts its thread.
     *
     * @throws UncheckedIOException if the spill directory cannot be opened
     */
    public BufferedHistoryWriter build() {
      return new BufferedHistoryWriter(this);
    }
  }
}
