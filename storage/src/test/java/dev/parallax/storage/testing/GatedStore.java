package dev.parallax.storage.testing;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.AppendResult;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.Neighbor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * A real store behind a gate the test controls, the way a store is slow or down in production:
 * while {@linkplain #hold() held}, appends wait; while {@linkplain #failing(boolean) failing}, they
 * throw {@link HistoryStoreException} as an unreachable server would. Everything else goes to the
 * store.
 */
public final class GatedStore implements ExecutionHistoryStore {

  private final ExecutionHistoryStore store;
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private volatile boolean failing;

  /** Wraps {@code store}, open and working. */
  public GatedStore(ExecutionHistoryStore store) {
    this.store = store;
  }

  /** From now on appends wait until {@link #release()}. */
  public GatedStore hold() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Lets waiting and later appends through. */
  public void release() {
    gate.countDown();
  }

  /** Whether appends throw. */
  public GatedStore failing(boolean failing) {
    this.failing = failing;
    return this;
  }

  @Override
  public AppendResult append(List<ExecutionRecord> records) {
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryStoreException("interrupted", e);
    }
    if (failing) {
      throw new HistoryStoreException("the store is down (test)");
    }
    return store.append(records);
  }

  @Override
  public HistoryPage scan(HistoryQuery query) {
    return store.scan(query);
  }

  @Override
  public List<Neighbor> nearest(float[] vector, int k, @Nullable String tool) {
    return store.nearest(vector, k, tool);
  }

  @Override
  public long count() {
    return store.count();
  }

  @Override
  public long deleteStartedBefore(Instant cutoff) {
    return store.deleteStartedBefore(cutoff);
  }

  @Override
  public FeatureVectorizer vectorizer() {
    return store.vectorizer();
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "GatedStore[" + store + "]";
  }
}
