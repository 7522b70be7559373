package dev.parallax.storage.neighbours;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.InMemoryHistoryStore;
import java.util.List;
import java.util.Map;

/**
 * Checks that a store's neighbour estimates agree with brute force within an approximate index's
 * misses: every query answered; the store's k-th neighbour never nearer than the true k-th (an
 * approximate search can only miss, not invent, a near record: a vector space or a filter other
 * than brute force's would break this); at least {@code exactShare} of the answers equal to brute
 * force's (1.0 for an exact search: every answer); and the mean absolute difference of log latency
 * below 0.05 (the noise of the data is 0.2 to 0.3 per record, so a miss that swaps one of k
 * neighbours for a slightly farther one moves their mean by a fraction of that).
 */
final class StoreAgreement {

  private StoreAgreement() {}

  static double[] assertAgrees(
      ExecutionHistoryStore store, List<ExecutionRecord> history, int k, double exactShare) {
    ToolScaledVectorizer space = (ToolScaledVectorizer) store.vectorizer();
    InMemoryHistoryStore exactStore = new InMemoryHistoryStore(space);
    exactStore.append(history);
    StoreNeighbours exactNeighbours = StoreNeighbours.of(exactStore, k);
    StoreNeighbours neighbours = StoreNeighbours.of(store, k);
    List<Map.Entry<String, Map<String, Double>>> queries = NeighbourData.queries(100, 99);
    int equal = 0;
    double diff = 0;
    for (Map.Entry<String, Map<String, Double>> q : queries) {
      StoreNeighbours.Estimate e = neighbours.estimate(q.getKey(), q.getValue());
      double exact = BruteForce.estimate(history, space, k, q.getKey(), q.getValue());
      assertThat(e.answered()).as("answered %s", q).isTrue();
      assertThat(e.neighbours()).isGreaterThanOrEqualTo(k);
      double trueKth = exactNeighbours.estimate(q.getKey(), q.getValue()).kthDistanceSquared();
      assertThat(e.kthDistanceSquared())
          .as("k-th distance of %s", q)
          .isGreaterThanOrEqualTo(trueKth * (1 - 1e-6));
      if (Math.abs(e.logLatency() - exact) < 1e-9) {
        equal++;
      }
      diff += Math.abs(e.logLatency() - exact);
    }
    double share = (double) equal / queries.size();
    double meanDiff = diff / queries.size();
    String figures = "share equal " + share + ", mean |difference| " + meanDiff;
    assertThat(share).as(figures).isGreaterThanOrEqualTo(exactShare);
    assertThat(meanDiff).as(figures).isLessThan(0.05);
    return new double[] {share, meanDiff};
  }
}
