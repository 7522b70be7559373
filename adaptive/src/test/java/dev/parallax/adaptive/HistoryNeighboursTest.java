package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The history store's neighbours on the call path: a prediction answers from cached store
 * estimates, a miss answers from the in-memory index at once and queries on a background executor,
 * estimates are refreshed after new records or time, and failures and full queues leave the
 * in-memory answer. Held executors and a fake ticker; the store is a stand-in for the seam (the
 * facade's tests use the real embedded store).
 */
@Timeout(120)
class HistoryNeighboursTest {

  private static final String TOOL = "fetch";
  private static final CallFeatures SMALL = call(3);
  private static final CallFeatures LARGE = call(17);

  private static CallFeatures call(double bytes) {
    return new CallFeatures(TOOL, Map.of("bytes", bytes), 0, 1);
  }

  /** Latency a step in the feature (10 ms below 10, 1 s from 10), with a little noise. */
  private static List<ExecutionRecord> history(int n, int seed) {
    Random random = new Random(seed);
    List<ExecutionRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double bytes = 1 + random.nextInt(20);
      double seconds = (bytes < 10 ? 0.01 : 1.0) * Math.exp(0.05 * random.nextGaussian());
      out.add(Records.record(TOOL, Records.seconds(seconds), true, Map.of("bytes", bytes), i));
    }
    return out;
  }

  /** A stand-in store: answers a fixed latency (seconds) per k, or throws; counts queries. */
  static final class FixedStore implements HistoryNeighbours {
    volatile double seconds = 42;
    volatile boolean fail;
    final AtomicInteger queries = new AtomicInteger();
    volatile CountDownLatch answered = new CountDownLatch(1);
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public Object key(String tool, Map<String, Double> features) {
      return features;
    }

    @Override
    public double logLatency(String tool, Map<String, Double> features, int k) {
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      queries.incrementAndGet();
      try {
        if (fail) {
          throw new IllegalStateException("store unreachable");
        }
        return Math.log(seconds);
      } finally {
        answered.countDown();
      }
    }
  }

  /** Holds tasks until run; rejects beyond a capacity. */
  static final class HeldExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    final Thread owner = Thread.currentThread();
    int capacity = Integer.MAX_VALUE;

    @Override
    public synchronized void execute(Runnable task) {
      if (tasks.size() >= capacity) {
        throw new RejectedExecutionException("full");
      }
      tasks.add(task);
    }

    synchronized int pending() {
      return tasks.size();
    }

    void runAll() {
      while (true) {
        Runnable r;
        synchronized (this) {
          r = tasks.poll();
        }
        if (r == null) {
          return;
        }
        r.run();
      }
    }
  }

  /** The store answers wherever it has an estimate (the cache's mechanics, without the gate). */
  private static AdaptivePredictor.Builder knn() {
    return gated().historyNeighboursGate(0);
  }

  private static AdaptivePredictor.Builder gated() {
    return AdaptivePredictor.builder()
        .retrainEvery(Integer.MAX_VALUE)
        .trainingExecutor(Runnable::run)
        .windowAge(Duration.ofDays(1))
        .latencyModel(LatencyModelType.NEAREST_NEIGHBOURS);
  }

  private static AdaptivePredictor trained(AdaptivePredictor.Builder b) {
    AdaptivePredictor p = b.build();
    history(600, 1).forEach(p);
    assertThat(p.retrain()).isTrue();
    ToolModelChoice choice = p.report().latencyByTool().get(TOOL);
    assertThat(choice.model()).startsWith("knn");
    assertThat(choice.used()).as(choice.reason()).isTrue();
    return p;
  }

  @Test
  void miss_answersFromMemoryAtOnce_andQueriesTheStoreOnTheExecutor() {
    AdaptivePredictor plain = trained(knn());
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor p = trained(knn().historyNeighbours(store).historyNeighboursExecutor(held));

    Prediction first = p.predict(LARGE);
    assertThat(first).isEqualTo(plain.predict(LARGE));
    assertThat(store.queries).hasValue(0); // not on the caller's thread
    assertThat(held.pending()).isEqualTo(1);
    assertThat(p.predict(LARGE)).isEqualTo(first); // still pending: no second query
    assertThat(held.pending()).isEqualTo(1);

    held.runAll();
    Prediction cached = p.predict(LARGE);
    assertThat(cached.source()).startsWith(AdaptivePredictor.MODEL);
    // 42 s from the store against ~1 s in memory (shrunk at most halfway toward the average)
    assertThat(cached.latency()).isGreaterThan(Duration.ofSeconds(5));
    assertThat(store.queries).hasValue(1);
    assertThat(p.neighbourStats()).isEqualTo(new NeighbourCacheStats(3, 1, 0, 2, 0, 1, 0, 0));
    assertThat(p.neighbourStats().storeShare()).isEqualTo(1.0 / 3);
  }

  @Test
  void keyedByFeatures_anotherCallIsAMiss() {
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor plain = trained(knn());
    AdaptivePredictor p = trained(knn().historyNeighbours(store).historyNeighboursExecutor(held));
    p.predict(LARGE);
    held.runAll();
    assertThat(p.predict(SMALL)).isEqualTo(plain.predict(SMALL));
    assertThat(held.pending()).isEqualTo(1);
  }

  @Test
  void queueFull_dropsTheQueryAndCountsIt_memoryAnswers() {
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    held.capacity = 0;
    AdaptivePredictor plain = trained(knn());
    AdaptivePredictor p = trained(knn().historyNeighbours(store).historyNeighboursExecutor(held));
    assertThat(p.predict(LARGE)).isEqualTo(plain.predict(LARGE));
    assertThat(p.predict(LARGE)).isEqualTo(plain.predict(LARGE)); // tried again, dropped again
    assertThat(p.neighbourStats().dropped()).isEqualTo(2);
    assertThat(store.queries).hasValue(0);
  }

  @Test
  void ownThreadsQueueFull_queryDroppedAndCounted_callerNotBlocked() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    FixedStore store = new FixedStore();
    store.hold = release;
    AdaptivePredictor p = trained(knn().historyNeighbours(store).historyNeighboursQueue(1));
    try {
      p.predict(SMALL); // runs (or waits) on the predictor's thread
      p.predict(LARGE); // fills the queue of one
      p.predict(call(7)); // beyond the queue and the running query: dropped
      assertThat(p.neighbourStats().dropped()).isEqualTo(1);
    } finally {
      release.countDown();
      p.close();
    }
  }

  @Test
  void storeFails_countedAndLogged_memoryKeepsAnswering_laterLookupRetries() {
    FixedStore store = new FixedStore();
    store.fail = true;
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor plain = trained(knn());
    AdaptivePredictor p = trained(knn().historyNeighbours(store).historyNeighboursExecutor(held));
    p.predict(LARGE);
    held.runAll(); // the task itself does not throw
    assertThat(p.neighbourStats().failures()).isEqualTo(1);
    assertThat(p.predict(LARGE)).isEqualTo(plain.predict(LARGE));
    store.fail = false;
    held.runAll();
    assertThat(p.predict(LARGE).latency()).isGreaterThan(Duration.ofSeconds(5));
  }

  @Test
  void newRecordsOfTheTool_refreshAhead_theOldEstimateAnswersUntilTheNewLands() {
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor p =
        trained(
            knn()
                .historyNeighbours(store)
                .historyNeighboursExecutor(held)
                .historyNeighboursCache(100, 10, Duration.ofHours(1), Duration.ofHours(2)));
    p.predict(LARGE);
    held.runAll();
    Duration old = p.predict(LARGE).latency();
    List<ExecutionRecord> more = history(9, 2);
    more.forEach(p);
    assertThat(p.predict(LARGE).latency()).isEqualTo(old);
    assertThat(held.pending()).isZero(); // 9 new records: not stale yet
    history(1, 3).forEach(p);
    store.seconds = 84;
    Duration stale = p.predict(LARGE).latency(); // stale: answers, and refreshes
    assertThat(held.pending()).isEqualTo(1);
    assertThat(p.neighbourStats().refreshes()).isEqualTo(1);
    held.runAll();
    assertThat(p.predict(LARGE).latency()).isGreaterThan(stale);
    assertThat(held.pending()).isZero();
  }

  @Test
  void fakeTicker_refreshAfterTime_thenExpiry() {
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    AtomicLong now = new AtomicLong();
    AdaptivePredictor p =
        trained(
            knn()
                .historyNeighbours(store)
                .historyNeighboursExecutor(held)
                .ticker(now::get)
                .historyNeighboursCache(
                    100, 1_000_000, Duration.ofSeconds(10), Duration.ofSeconds(60)));
    p.predict(LARGE);
    held.runAll();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    p.predict(LARGE);
    assertThat(held.pending()).isZero();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(p.predict(LARGE).latency()).isGreaterThan(Duration.ofSeconds(5)); // still answers
    assertThat(held.pending()).isEqualTo(1); // and refreshes
    held.tasks.clear(); // the refresh never lands
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    long missesBefore = p.neighbourStats().misses();
    p.predict(LARGE);
    assertThat(p.neighbourStats().misses()).isEqualTo(missesBefore + 1); // expired
  }

  @Test
  void toolNotAnsweredByNearestNeighbours_theStoreIsNeverAsked() {
    FixedStore store = new FixedStore();
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor p =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .windowAge(Duration.ofDays(1))
            .latencyModel(LatencyModelType.CART)
            .historyNeighbours(store)
            .historyNeighboursExecutor(held)
            .build();
    history(600, 1).forEach(p);
    p.retrain();
    p.predict(LARGE);
    assertThat(p.neighbourStats()).isEqualTo(NeighbourCacheStats.NONE);
    assertThat(held.pending()).isZero();
  }

  @Test
  void close_stopsTheQueryThread_noThreadLeft() throws InterruptedException {
    FixedStore store = new FixedStore();
    AdaptivePredictor p = trained(knn().historyNeighbours(store));
    p.predict(LARGE);
    assertThat(store.answered.await(60, TimeUnit.SECONDS)).isTrue();
    p.close();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("parallax-neighbours") && t.isAlive());
    long dropped = p.neighbourStats().dropped();
    p.predict(SMALL); // closed: no query
    assertThat(p.neighbourStats().dropped()).isEqualTo(dropped + 1);
    assertThat(store.queries).hasValue(1);
  }

  private static ExecutionRecord large(double seconds, int seq) {
    return Records.record(
        TOOL, Records.seconds(seconds), true, Map.of("bytes", 17.0), 10_000 + seq);
  }

  @Test
  void gate_storeBetterOnFinishedCalls_answersOnlyOnceConfident() {
    FixedStore store = new FixedStore();
    store.seconds = 2; // the tool slowed down: the store knows, the in-memory index (~1 s) not yet
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor plain = trained(knn());
    AdaptivePredictor p = trained(gated().historyNeighbours(store).historyNeighboursExecutor(held));
    Random random = new Random(4);
    p.predict(LARGE);
    held.runAll();
    int answeredAt = -1;
    for (int i = 0; i < 40; i++) {
      Prediction withStore = p.predict(LARGE);
      if (answeredAt < 0 && p.neighbourStats().storeAnswers() > 0) {
        answeredAt = i;
      }
      if (answeredAt < 0) {
        assertThat(withStore).isEqualTo(plain.predict(LARGE)); // the in-memory index answers
      }
      ExecutionRecord r = large(2 * Math.exp(0.05 * random.nextGaussian()), i);
      p.accept(r);
      plain.accept(r);
    }
    // no answer before 30 pairs; then the store is confidently better
    assertThat(answeredAt).isEqualTo(30);
    assertThat(p.neighbourStats().shadowed()).isEqualTo(30);
    assertThat(p.predict(LARGE).latency()).isGreaterThan(plain.predict(LARGE).latency());
  }

  @Test
  void gate_storeWorse_neverAnswers_theCacheStillFills() {
    FixedStore store = new FixedStore(); // 42 s against ~1 s calls
    HeldExecutor held = new HeldExecutor();
    AdaptivePredictor p = trained(gated().historyNeighbours(store).historyNeighboursExecutor(held));
    Random random = new Random(5);
    p.predict(LARGE);
    held.runAll();
    for (int i = 0; i < 60; i++) {
      p.predict(LARGE);
      p.accept(large(Math.exp(0.05 * random.nextGaussian()), i));
    }
    assertThat(p.neighbourStats().storeAnswers()).isZero();
    assertThat(p.neighbourStats().shadowed()).isEqualTo(60);
    assertThat(p.neighbourStats().queries()).isEqualTo(1);
  }

  @Test
  void builder_rejectsBadCacheSettings() {
    AdaptivePredictor.Builder b = AdaptivePredictor.builder();
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> b.historyNeighboursCache(0, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .withMessageContaining("maxEntries");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(
            () -> b.historyNeighboursCache(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .withMessageContaining("shorter than refreshAfter");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> b.historyNeighboursQueue(0));
  }
}
