package dev.parallax.storage.neighbours;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.Neighbor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/*
 * The answer rule is the adaptive module's in-memory KnnIndex's, with the store as the index:
 *
 *   - Space: the store's ToolScaledVectorizer (per-tool standardised signed log1p features), so a
 *     squared store distance is a KnnIndex distance.
 *   - Neighbours: the k nearest of the store's nearest(vector, max(k, MIN_CANDIDATES), tool), over
 *     every stored record of the tool (not the newest 512). Asking for more candidates than k is
 *     the usual way to raise an HNSW search's recall (Lucene keeps as many candidates as asked).
 *     Ties at the k-th distance are included, as in KnnIndex: while the farthest
 *     of the m records returned is as near as the k-th, the query is repeated with 2m (up to
 *     MAX_QUERY), so a call whose features equal those of many past calls gets their mean, not
 *     whichever k the index returned first.
 *   - Answer: the mean log latency (natural log of seconds, at least 1 µs) of those neighbours;
 *     none if the tool has fewer than k stored records or the k-th squared distance exceeds the
 *     reach (positive infinity unless set).
 *
 * The embedded store answers exactly while a tool has at most its exact-search limit of records
 * (20,000 by default), so the answer is then brute force's. An approximate index (the embedded
 * store's HNSW graph beyond that limit, Chroma's) may miss a true neighbour; the answer is then the
 * mean over a slightly farther set.
 */
/**
 * Estimates a call's log latency from its k nearest neighbours among the stored history of its
 * tool, found by the store's own similarity search ({@link ExecutionHistoryStore#nearest}).
 *
 * <pre>{@code
 * ToolScaledVectorizer space = ToolScaledVectorizer.fit(history);
 * try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(dir, space)) {
 *   store.append(history);
 *   StoreNeighbours.Estimate e =
 *       StoreNeighbours.of(store, 5).estimate("search", Map.of("bytes", 2048.0));
 *   if (e.answered()) {
 *     double seconds = Math.exp(e.logLatency());
 *   }
 * }
 * }</pre>
 *
 * <p>Each estimate is one or more store queries (hundreds of microseconds for the embedded store, a
 * round trip for Chroma): call it off a run's call path. Immutable and thread-safe as far as the
 * store is; the store is neither owned nor closed.
 */
public final class StoreNeighbours {

  /** Most records one estimate asks the store for, ties at the k-th distance included. */
  public static final int MAX_QUERY = 8192;

  /**
   * Fewest records the first query asks for (the k nearest are kept): an HNSW search keeps as many
   * candidates as it is asked for, and a wider beam is the usual way to raise its recall. (On the
   * storage tests' data, 1,500 calls per tool with one or two features, it made no measurable
   * difference to the embedded store's graph search: 78% of k = 5 answers equal brute force's with
   * 5 candidates and with 64. That store now scans exactly below its exact-search limit.)
   */
  public static final int MIN_CANDIDATES = 64;

  private static final double MIN_SECONDS = 1e-6;

  private final ExecutionHistoryStore store;
  private final ToolScaledVectorizer space;
  private final int k;
  private final double reach;

  private StoreNeighbours(
      ExecutionHistoryStore store, ToolScaledVectorizer space, int k, double reach) {
    this.store = store;
    this.space = space;
    this.k = k;
    this.reach = reach;
  }

  /**
   * Neighbours among {@code store}'s records, answering whatever the distance.
   *
   * @param store a store indexed by a {@link ToolScaledVectorizer}
   * @param k neighbours, at least 1 and at most {@link #MAX_QUERY}
   * @throws IllegalArgumentException if {@code k} is out of range or the store's vectorizer is not
   *     a {@link ToolScaledVectorizer}
   */
  public static StoreNeighbours of(ExecutionHistoryStore store, int k) {
    Objects.requireNonNull(store, "store");
    if (k < 1 || k > MAX_QUERY) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_QUERY + "], was " + k);
    }
    if (!(store.vectorizer() instanceof ToolScaledVectorizer space)) {
      throw new IllegalArgumentException(
          "the store must be indexed by a ToolScaledVectorizer (distances would not be standardised),"
              + " was "
              + store.vectorizer());
    }
    return new StoreNeighbours(store, space, k, Double.POSITIVE_INFINITY);
  }

  /**
   * The same, answering only when the k-th neighbour's squared distance is at most {@code reach}.
   *
   * @throws IllegalArgumentException if {@code reach} is negative or NaN
   */
  public StoreNeighbours withReach(double reach) {
    if (!(reach >= 0)) {
      throw new IllegalArgumentException("reach must be >= 0, was " + reach);
    }
    return new StoreNeighbours(store, space, k, reach);
  }

  /** Neighbours. */
  public int k() {
    return k;
  }

  /** The farthest squared k-th-neighbour distance it answers for (positive infinity: any). */
  public double reach() {
    return reach;
  }

  /**
   * The estimate for a call of {@code tool} with {@code features} (see the class comment).
   *
   * @throws dev.parallax.storage.HistoryStoreException if the store cannot be read
   */
  public Estimate estimate(String tool, Map<String, Double> features) {
    float[] vector = space.vector(tool, features);
    int asked = Math.max(k, MIN_CANDIDATES);
    List<Neighbor> found = store.nearest(vector, asked, tool);
    while (found.size() == asked
        && asked < MAX_QUERY
        && found.get(asked - 1).distance() <= found.get(k - 1).distance()) {
      asked = Math.min(MAX_QUERY, 2 * asked);
      found = store.nearest(vector, asked, tool);
    }
    if (found.size() < k) {
      return new Estimate(Double.NaN, found.size(), Double.POSITIVE_INFINITY);
    }
    double kth = found.get(k - 1).distance();
    double kthSquared = kth * kth;
    if (kthSquared > reach) {
      return new Estimate(Double.NaN, found.size(), kthSquared);
    }
    double sum = 0;
    int count = 0;
    for (Neighbor n : found) {
      if (n.distance() <= kth) {
        sum += logLatency(n.record());
        count++;
      }
    }
    return new Estimate(sum / count, count, kthSquared);
  }

  /**
   * A value equal for two calls exactly when their vectors in the store's space (the features
   * standardised by the store's {@link ToolScaledVectorizer}) are equal, so that their estimates
   * are too: a cache key. Quick (one small array, no store access); thread-safe.
   */
  public Object key(String tool, Map<String, Double> features) {
    return key(tool, features, 0);
  }

  /**
   * A coarser cache key: equal for two calls of a tool whose standardised coordinates round to the
   * same multiple of {@code resolution} (in standard deviations of the tool's features), so that
   * calls in one cell of that grid share the estimate made for the first of them. Real calls rarely
   * repeat their features exactly (sizes, counts), so an exact key ({@link #key(String, Map)})
   * seldom hits; a cell of a tenth of a standard deviation moves a call's distance to any record by
   * at most {@code resolution/2·sqrt(d)}. Quick; thread-safe.
   *
   * @param resolution the grid's step, positive (0 gives the exact key)
   * @throws IllegalArgumentException if {@code resolution} is negative or NaN
   */
  public Object key(String tool, Map<String, Double> features, double resolution) {
    if (!(resolution >= 0)) {
      throw new IllegalArgumentException("resolution must be >= 0, was " + resolution);
    }
    float[] v = space.vector(tool, features);
    long[] cell = new long[v.length];
    for (int i = 0; i < v.length; i++) { // exact: the float's bits (the equality of Arrays.equals)
      cell[i] = resolution == 0 ? Float.floatToIntBits(v[i]) : Math.round(v[i] / resolution);
    }
    return new CellKey(cell);
  }

  private record CellKey(long[] cell) {
    @Override
    public boolean equals(Object o) {
      return o instanceof CellKey other && Arrays.equals(cell, other.cell);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(cell);
    }

    @Override
    public String toString() {
      return Arrays.toString(cell);
    }
  }

  private static double logLatency(ExecutionRecord record) {
    double seconds = record.duration().toNanos() / 1e9;
    return Math.log(Math.max(MIN_SECONDS, seconds));
  }

  @Override
  public String toString() {
    return "StoreNeighbours[k=" + k + ", reach=" + reach + ", " + store + "]";
  }

  /**
   * One estimate.
   *
   * @param logLatency the mean natural log of the neighbours' latencies in seconds; NaN if not
   *     answered
   * @param neighbours how many neighbours were averaged (more than k when several lie at the k-th
   *     distance); when not answered, how many records of the tool were found
   * @param kthDistanceSquared the squared distance of the k-th nearest (positive infinity if the
   *     tool has fewer than k records)
   */
  public record Estimate(double logLatency, int neighbours, double kthDistanceSquared) {

    /** Whether there is an answer. */
    public boolean answered() {
      return !Double.isNaN(logLatency);
    }
  }
}
