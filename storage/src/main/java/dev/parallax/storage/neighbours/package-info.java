/**
 * k nearest neighbours of a call among the whole execution history, found by the history store's
 * own similarity search ({@link dev.parallax.storage.ExecutionHistoryStore#nearest}: the embedded
 * store's HNSW index, Chroma's query): a vector space per tool in which Euclidean distance means
 * what the adaptive module's in-memory k-nearest-neighbour model means by it ({@link
 * dev.parallax.storage.neighbours.ToolScaledVectorizer}), and the estimate of a call's latency from
 * its neighbours ({@link dev.parallax.storage.neighbours.StoreNeighbours}).
 *
 * <p>A store query costs hundreds of microseconds: use it off a run's call path (analysis,
 * planning, retraining), never inside an executor's event loop.
 */
@NullMarked
package dev.parallax.storage.neighbours;

import org.jspecify.annotations.NullMarked;
