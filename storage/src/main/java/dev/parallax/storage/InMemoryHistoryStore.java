package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.internal.Batches;
import dev.parallax.storage.internal.EpochNanos;
import dev.parallax.storage.internal.PreparedRecord;
import dev.parallax.storage.internal.StartKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionHistoryStore} in memory, for tests and short-lived programs: nothing survives
 * the process. Nearest-neighbour search is exact (a linear scan). Scans return records by start
 * time, then id.
 *
 * <p>Thread-safe (one lock).
 */
public final class InMemoryHistoryStore implements ExecutionHistoryStore {

  private final FeatureVectorizer vectorizer;
  private final int maxStringChars;
  private final NavigableMap<StartKey, PreparedRecord> byStart = new TreeMap<>();
  private final Map<String, StartKey> keys = new HashMap<>();

  /**
   * An empty store that indexes records with {@code vectorizer} and rejects string fields longer
   * than 16,384 chars.
   */
  public InMemoryHistoryStore(FeatureVectorizer vectorizer) {
    this(vectorizer, Batches.DEFAULT_MAX_STRING_CHARS);
  }

  /** An empty store that rejects string fields longer than {@code maxStringChars}. */
  public InMemoryHistoryStore(FeatureVectorizer vectorizer, int maxStringChars) {
    this.vectorizer = Objects.requireNonNull(vectorizer, "vectorizer");
    if (maxStringChars < 1) {
      throw new IllegalArgumentException("maxStringChars must be >= 1, was " + maxStringChars);
    }
    this.maxStringChars = maxStringChars;
  }

  @Override
  public synchronized AppendResult append(List<ExecutionRecord> records) {
    Batches.Split split = Batches.prepare(records, vectorizer, maxStringChars);
    for (PreparedRecord p : split.accepted()) {
      StartKey old = keys.remove(p.id());
      if (old != null) {
        byStart.remove(old);
      }
      StartKey key = new StartKey(EpochNanos.of(p.record().start()), p.id());
      keys.put(p.id(), key);
      byStart.put(key, p);
    }
    return new AppendResult(split.accepted().size(), split.rejected());
  }

  @Override
  public synchronized HistoryPage scan(HistoryQuery query) {
    StartKey after = StartKey.parse(query.pageToken());
    StartKey from = new StartKey(EpochNanos.of(query.from()), "");
    NavigableMap<StartKey, PreparedRecord> tail =
        after != null && after.compareTo(from) >= 0
            ? byStart.tailMap(after, false)
            : byStart.tailMap(from, true);
    long to = EpochNanos.of(query.to());
    List<ExecutionRecord> page = new ArrayList<>();
    StartKey last = null;
    boolean more = false;
    for (Map.Entry<StartKey, PreparedRecord> e : tail.entrySet()) {
      if (e.getKey().startNanos() >= to) {
        break;
      }
      if (query.tool() != null && !query.tool().equals(e.getValue().record().tool())) {
        continue;
      }
      if (page.size() == query.limit()) {
        more = true;
        break;
      }
      page.add(e.getValue().record());
      last = e.getKey();
    }
    return new HistoryPage(page, more && last != null ? last.token() : null);
  }

  @Override
  public synchronized List<Neighbor> nearest(float[] vector, int k, @Nullable String tool) {
    Batches.checkQuery(vector, k, vectorizer.dimension());
    List<Neighbor> all = new ArrayList<>();
    for (PreparedRecord p : byStart.values()) {
      if (tool == null || tool.equals(p.record().tool())) {
        all.add(new Neighbor(p.record(), distance(vector, p.vector())));
      }
    }
    all.sort(Comparator.comparingDouble(Neighbor::distance));
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  private static double distance(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  @Override
  public synchronized long count() {
    return byStart.size();
  }

  @Override
  public synchronized long deleteStartedBefore(Instant cutoff) {
    long limit = EpochNanos.of(cutoff);
    long deleted = 0;
    for (Iterator<Map.Entry<StartKey, PreparedRecord>> it = byStart.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<StartKey, PreparedRecord> e = it.next();
      if (e.getKey().startNanos() >= limit) {
        break;
      }
      it.remove();
      keys.remove(e.getKey().id());
      deleted++;
    }
    return deleted;
  }

  @Override
  public FeatureVectorizer vectorizer() {
    return vectorizer;
  }

  @Override
  public void close() {}
}
