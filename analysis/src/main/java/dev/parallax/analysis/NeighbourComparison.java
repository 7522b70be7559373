package dev.parallax.analysis;

import java.util.Objects;

/**
 * The k-nearest-neighbour rule of the adaptive module's in-memory model (mean log latency of the k
 * nearest training tasks of the tool, standardised {@code log1p} features, ties included) with its
 * neighbours from three sources, each next to the per-tool mean on the same scored tasks: the
 * embedded history store's own similarity search (Lucene HNSW) over every training task; the newest
 * 512 training tasks per tool searched exactly (what the in-memory model keeps); every training
 * task searched exactly (the store without HNSW's approximation). No gate and no distance reach:
 * the sources differ only in the neighbours they find. Tasks the neighbours may not answer (a tool
 * with fewer than 2k training tasks or no varying feature, a categorical value never seen with the
 * tool) are answered by the per-tool mean in every variant.
 *
 * <p>For one held-out instance the ratios are over its rows, with a paired bootstrap interval; for
 * an application, the unweighted average over its instances, with a stratified interval. Immutable
 * and thread-safe. Built by {@link LeaveOneInstanceOut} when asked ({@link
 * LeaveOneInstanceOut.Builder#storeNeighbours(int)}).
 */
public final class NeighbourComparison {

  private final int k;
  private final Variant store;
  private final Variant inMemory;
  private final Variant exact;

  NeighbourComparison(int k, Variant store, Variant inMemory, Variant exact) {
    this.k = k;
    this.store = Objects.requireNonNull(store, "store");
    this.inMemory = Objects.requireNonNull(inMemory, "inMemory");
    this.exact = Objects.requireNonNull(exact, "exact");
  }

  /** Neighbours. */
  public int k() {
    return k;
  }

  /** Neighbours from the embedded store's HNSW search over every training task. */
  public Variant store() {
    return store;
  }

  /** Neighbours among the newest 512 training tasks per tool, searched exactly. */
  public Variant inMemory() {
    return inMemory;
  }

  /** Neighbours among every training task, searched exactly. */
  public Variant exact() {
    return exact;
  }

  @Override
  public String toString() {
    return "NeighbourComparison[k="
        + k
        + ", store="
        + store.ratio()
        + ", inMemory="
        + inMemory.ratio()
        + ", exact="
        + exact.ratio()
        + "]";
  }

  /**
   * One source of neighbours.
   *
   * @param ratio its MAE of log latency over the per-tool mean's (below 1: better)
   * @param ratioLow lower end of the ratio's confidence interval
   * @param ratioHigh upper end
   * @param answered share of the scored tasks its neighbours answered (the mean answered the rest)
   * @param rows training tasks it searched (summed over instances for an application)
   * @param medianQueryMicros median time of one neighbour search, in microseconds, over the
   *     answered tasks (NaN if none); the in-memory and exact variants search a list by brute force
   *     here, not with the adaptive module's array index, so only the store's figure is a real cost
   */
  public record Variant(
      double ratio,
      double ratioLow,
      double ratioHigh,
      double answered,
      long rows,
      double medianQueryMicros) {}
}
