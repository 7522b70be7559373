package dev.parallax.adaptive.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.parallax.adaptive.HistoryNeighbours;
import dev.parallax.adaptive.NeighbourCacheStats;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/*
 * Refresh-ahead cache of a history store's k-nearest-neighbour estimates, so that the call path
 * never waits for a store query (hundreds of microseconds to milliseconds) and still answers from
 * the whole history once an estimate for the call's features is known.
 *
 *   - Key: (tool, k, HistoryNeighbours.key(tool, features)) - for the facade's adapter the vector
 *     the store indexes, i.e. the features standardised by the store's vectorizer.
 *   - Hit: the cached estimate answers (NaN cached: the store had no answer; the in-memory index
 *     answers). If the tool has gained at least refreshAfterRecords records since the estimate was
 *     queried, or it is older than refreshAfter, a new query is scheduled and the old estimate keeps
 *     answering until it lands (refresh-ahead).
 *   - Miss: the in-memory answer is returned at once and a query is scheduled.
 *   - Scheduling: at most one pending query per key (a set of keys in flight); the executor is
 *     bounded (the predictor's own: one daemon thread, a bounded queue); a query beyond
 *     Settings.maxPending pending ones, or one the executor rejects, is dropped and counted, never
 *     run on the caller's thread (the pending count is checked first: a rejection's exception would
 *     cost a miss several microseconds under a flood of new features). A query that throws is logged and
 *     counted; nothing is cached, so the in-memory index keeps answering and a later lookup tries
 *     again.
 *   - Size and age: at most maxEntries estimates (Caffeine's size eviction), each dropped expireAfter
 *     after it was written; Caffeine's maintenance runs on the calling thread (no pool of its own).
 *
 * Which tools the store answers for (decided online, on calls it had not seen):
 *   - When a call of a tool whose model is k nearest neighbours finishes (scored(), from the
 *     predictor's accept, before the record counts as new), the cached estimate for its key - if one
 *     was queried before that record was accepted - and the in-memory index's answer for it give a
 *     pair of absolute log errors. Per tool the newest PAIR_WINDOW pairs are kept.
 *   - The store answers for the tool iff there are at least minPairs pairs and the 95% interval of
 *     the mean of (store error - in-memory error) lies wholly below 0 (normal approximation:
 *     mean + 1.96 sd / sqrt(n) < 0). Decided again at every pair, so a store that stops helping
 *     stops answering. Until then the lookups still fill the cache (shadow mode) and the in-memory
 *     index answers. minPairs 0: the store answers without being compared.
 *   The estimates are not free of look-ahead in one way: an estimate queried after an earlier call of
 *   the same cell finished includes that call, exactly as it would when answering; it never
 *   includes the call it is scored on.
 *
 * Time comes from an injected nanosecond ticker, so tests drive refresh and expiry.
 */
/** Cached store estimates for the call path. Thread-safe. Internal: may change at any time. */
public final class StoreEstimates {

  private static final Logger LOG = Logger.getLogger(StoreEstimates.class.getName());

  private record Key(String tool, int k, Object features) {}

  private record Entry(double logLatency, long generation, long writtenNanos) {}

  /**
   * Settings.
   *
   * @param maxEntries most cached estimates
   * @param refreshAfterRecords new records of a tool after which its estimates are queried again
   * @param refreshAfter age after which an estimate is queried again
   * @param expireAfter age after which an estimate is dropped
   * @param minPairs pairs of errors a tool needs before the store may answer for it
   * @param maxPending most queries scheduled and not yet finished; more are dropped before they
   *     reach the executor (a bounded executor's rejection costs an exception per miss)
   */
  public record Settings(
      int maxEntries,
      long refreshAfterRecords,
      Duration refreshAfter,
      Duration expireAfter,
      int minPairs,
      int maxPending) {}

  /** Newest pairs of errors kept per tool for the decision. */
  public static final int PAIR_WINDOW = 200;

  /** A tool's newest pairs: store error minus in-memory error. */
  private static final class Pairs {
    private final double[] diffs = new double[PAIR_WINDOW];
    private int n;
    private int next;
    private volatile boolean storeBetter;

    synchronized void add(double diff, int minPairs) {
      diffs[next] = diff;
      next = (next + 1) % PAIR_WINDOW;
      n = Math.min(PAIR_WINDOW, n + 1);
      if (n < Math.max(2, minPairs)) {
        storeBetter = false;
        return;
      }
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < n; i++) {
        sum += diffs[i];
        sq += diffs[i] * diffs[i];
      }
      double mean = sum / n;
      double var = Math.max(0, (sq - n * mean * mean) / (n - 1));
      storeBetter = mean + 1.96 * Math.sqrt(var / n) < 0;
    }

    synchronized int size() {
      return n;
    }
  }

  private final HistoryNeighbours neighbours;
  private final Executor executor;
  private final LongSupplier ticker;
  private final Settings settings;
  private final Cache<Key, Entry> cache;
  private final Set<Key> pending = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Pairs> pairs = new ConcurrentHashMap<>();
  private final LongAdder shadow = new LongAdder();
  private final LongAdder lookups = new LongAdder();
  private final LongAdder storeAnswers = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder queries = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile boolean closed;

  /**
   * @param neighbours the store's search
   * @param executor where queries run (never the caller's thread unless the executor does so)
   * @param ticker nanoseconds, for refresh and expiry
   */
  public StoreEstimates(
      HistoryNeighbours neighbours, Executor executor, LongSupplier ticker, Settings settings) {
    this.neighbours = neighbours;
    this.executor = executor;
    this.ticker = ticker;
    this.settings = settings;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(settings.maxEntries())
            .expireAfterWrite(settings.expireAfter())
            .ticker(ticker::getAsLong)
            .executor(Runnable::run)
            .build();
  }

  /** Counts a new record of {@code tool} (estimates of the tool age by one record). */
  public void recorded(String tool) {
    generation(tool).incrementAndGet();
  }

  /**
   * Scores the cached estimate for a finished call of {@code tool} (if one was queried before the
   * call's record) against the in-memory index's answer, and decides again whether the store
   * answers for the tool. Call before {@link #recorded} for the same record.
   *
   * @param inMemory the in-memory index's answer for the call (NaN: none; nothing is scored)
   * @param actual the call's log latency
   */
  public void scored(
      String tool, Map<String, Double> features, int k, double inMemory, double actual) {
    if (settings.minPairs() == 0 || !Double.isFinite(inMemory)) {
      return;
    }
    Entry e;
    try {
      e = cache.getIfPresent(new Key(tool, k, neighbours.key(tool, features)));
    } catch (Throwable ex) { // a plug-in: nothing it throws may escape a prediction
      failures.increment();
      return;
    }
    if (e == null || Double.isNaN(e.logLatency()) || e.generation() > generation(tool).get()) {
      return;
    }
    double diff = Math.abs(actual - e.logLatency()) - Math.abs(actual - inMemory);
    pairs.computeIfAbsent(tool, t -> new Pairs()).add(diff, settings.minPairs());
  }

  /** Whether the store answers for {@code tool} now (see the class comment). */
  public boolean answers(String tool) {
    if (settings.minPairs() == 0) {
      return true;
    }
    Pairs p = pairs.get(tool);
    return p != null && p.storeBetter;
  }

  /** Pairs of errors kept for {@code tool}. */
  public int pairs(String tool) {
    Pairs p = pairs.get(tool);
    return p == null ? 0 : p.size();
  }

  /**
   * The store's estimate for a call of {@code tool} with {@code features} from {@code k}
   * neighbours, or {@code inMemory} if none is cached (a query is then scheduled) or the store does
   * not answer for the tool yet ({@link #answers}; the cache is filled all the same). Never blocks.
   */
  public double answer(String tool, Map<String, Double> features, int k, double inMemory) {
    lookups.increment();
    Key key;
    try {
      key = new Key(tool, k, neighbours.key(tool, features));
    } catch (Throwable e) { // a plug-in: nothing it throws may escape a prediction
      failures.increment();
      LOG.log(Level.FINE, "history neighbours: key failed for tool " + tool, e);
      return inMemory;
    }
    Entry e = cache.getIfPresent(key);
    if (e == null) {
      misses.increment();
      schedule(key, features);
      return inMemory;
    }
    long generation = generation(tool).get();
    if (generation - e.generation() >= settings.refreshAfterRecords()
        || ticker.getAsLong() - e.writtenNanos() >= settings.refreshAfter().toNanos()) {
      if (schedule(key, features)) {
        refreshes.increment();
      }
    }
    if (Double.isNaN(e.logLatency())) {
      return inMemory;
    }
    if (!answers(tool)) {
      shadow.increment();
      return inMemory;
    }
    storeAnswers.increment();
    return e.logLatency();
  }

  /** Whether a query was scheduled now. */
  private boolean schedule(Key key, Map<String, Double> features) {
    if (pending.contains(key)) {
      return false;
    }
    if (closed || pending.size() >= settings.maxPending()) {
      dropped.increment();
      return false;
    }
    if (!pending.add(key)) {
      return false;
    }
    try {
      executor.execute(() -> query(key, features));
      return true;
    } catch (RejectedExecutionException full) {
      pending.remove(key);
      dropped.increment();
      return false;
    }
  }

  private void query(Key key, Map<String, Double> features) {
    try {
      long generation = generation(key.tool()).get();
      double v = neighbours.logLatency(key.tool(), features, key.k());
      queries.increment();
      cache.put(
          key, new Entry(Double.isFinite(v) ? v : Double.NaN, generation, ticker.getAsLong()));
    } catch (Throwable t) {
      failures.increment();
      LOG.log(
          Level.WARNING,
          "history neighbours: the store query for tool "
              + key.tool()
              + " failed; the in-memory index answers",
          t);
      if (t instanceof Error err
          && !(t instanceof StackOverflowError || t instanceof LinkageError)) {
        throw err;
      }
    } finally {
      pending.remove(key);
    }
  }

  private AtomicLong generation(String tool) {
    return generations.computeIfAbsent(tool, t -> new AtomicLong());
  }

  /** No query is scheduled after this (lookups count as dropped). */
  public void close() {
    closed = true;
  }

  /** Estimates cached now (approximately). */
  public long size() {
    return cache.estimatedSize();
  }

  /** The counters. */
  public NeighbourCacheStats stats() {
    return new NeighbourCacheStats(
        lookups.sum(),
        storeAnswers.sum(),
        shadow.sum(),
        misses.sum(),
        refreshes.sum(),
        queries.sum(),
        dropped.sum(),
        failures.sum());
  }
}
