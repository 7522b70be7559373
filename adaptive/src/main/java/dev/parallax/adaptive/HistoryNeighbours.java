package dev.parallax.adaptive;

import java.util.Map;

/**
 * The seam through which an {@link AdaptivePredictor} asks a history store's own similarity search
 * for a call's k nearest past calls (the embedded store's index, Chroma's query), over the whole
 * history rather than the newest calls the in-memory index holds. The adaptive module does not
 * depend on the storage module: the facade adapts {@code
 * dev.parallax.storage.neighbours.StoreNeighbours} to this interface ({@code
 * ParallaxBuilder.storeNeighbours(true)}), and a user can do the same for any store.
 *
 * <p>The predictor never calls {@link #logLatency} on the caller's thread: a prediction answers
 * from a cache of earlier estimates, and a miss is queried on a background thread (see {@link
 * AdaptivePredictor.Builder#historyNeighbours}). Implementations must be thread-safe.
 */
public interface HistoryNeighbours {

  /**
   * A value that is equal for two calls exactly when they get the same estimate, for example the
   * vector the store indexes them by (wrapped so that {@code equals} compares contents). Called on
   * the call path for every prediction the store may answer: it must be quick (well under a
   * microsecond for a few features), must not block, and should not throw (a throw counts as a
   * failure and the in-memory answer stays).
   *
   * @param tool the tool's name
   * @param features the call's finite numeric features
   */
  Object key(String tool, Map<String, Double> features);

  /**
   * The mean natural log of the latency in seconds of the {@code k} nearest past calls of {@code
   * tool} (ties at the k-th distance included), or NaN if the history cannot answer (fewer than
   * {@code k} calls, or beyond a reach). May block (a store query); called on a background thread
   * only. May throw: a failure is logged, counted, and the in-memory answer stays.
   *
   * @param tool the tool's name
   * @param features the call's finite numeric features
   * @param k neighbours, at least 1
   */
  double logLatency(String tool, Map<String, Double> features, int k);
}
