package dev.parallax.storage.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.jspecify.annotations.Nullable;

/*
 * Why the embedded store scans instead of searching its HNSW graph (issue 14, item 2).
 *
 * Call features make few-dimensional vectors: per tool one to a handful of standardised numbers,
 * often integers or repeated values. On such data Lucene's HNSW graph degenerates. Its neighbour
 * selection keeps a candidate only if it is nearer to the node than to every neighbour already
 * kept, so on points along a line each node keeps about its two nearest (left and right), and
 * duplicates cut one another off. On the storage tests' history (1,500 calls per tool, one and two
 * features) the level-0 graph had a mean degree of 3.2 with 32% of the nodes linked to a single
 * other node: a chain with dangling leaves. A beam search there stops before reaching near leaves:
 * a filtered KnnFloatVectorQuery asked for 64 candidates returned a 5th-nearest farther than the
 * true one for 43 of 200 queries (one segment; strictly nearer records were missed, so neither
 * ties nor float rounding were the cause), and 128 candidates missed as often as 64; Lucene's
 * filtered (ACORN) graph searcher on or off made no difference. With 256 candidates every answer
 * was exact (likely Lucene's own fallback: a graph search that visits more vectors than the filter
 * matches is replaced by an exact scan).
 *
 * A scan costs one distance per matching record (a few floats each), tens of microseconds for a
 * few thousand records, so up to a limit the store scans every matching vector, in double
 * precision like the distances it reports, and returns the true k nearest; ties at the k-th
 * distance are broken by index order (segment, then document), so repeated queries agree.
 */
/**
 * Exact k-nearest search over a Lucene index's float vectors, restricted to a filter and the live
 * documents. Internal: may change at any time.
 */
final class ExactNearest {

  /** A document of the index (global id) at a squared Euclidean distance. */
  record Hit(int doc, double squaredDistance) {}

  // the head is the hit to drop first: the farthest, and among equals the latest in index order
  private static final Comparator<Hit> DROP_FIRST =
      Comparator.comparingDouble(Hit::squaredDistance).thenComparingInt(Hit::doc).reversed();

  private ExactNearest() {}

  /**
   * The {@code k} documents of {@code filter} (all without one) whose vectors in {@code field} are
   * nearest to {@code query}, nearest first, ties in index order.
   */
  static List<Hit> search(
      IndexSearcher searcher, String field, @Nullable Query filter, float[] query, int k)
      throws IOException {
    Weight weight =
        filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    PriorityQueue<Hit> kept = new PriorityQueue<>(Math.min(k, 1024) + 1, DROP_FIRST);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
      if (values == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator vectors = values.iterator();
      DocIdSetIterator docs = vectors;
      if (weight != null) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        docs = ConjunctionUtils.intersectIterators(List.of(scorer.iterator(), vectors));
      }
      Bits live = leaf.reader().getLiveDocs();
      for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        Hit hit = new Hit(leaf.docBase + doc, squared(query, values.vectorValue(vectors.index())));
        if (kept.size() < k) {
          kept.add(hit);
        } else if (DROP_FIRST.compare(hit, kept.peek()) > 0) {
          kept.poll();
          kept.add(hit);
        }
      }
    }
    List<Hit> nearest = new ArrayList<>(kept);
    nearest.sort(DROP_FIRST.reversed());
    return nearest;
  }

  static double squared(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }
}
