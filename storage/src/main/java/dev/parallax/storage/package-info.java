/**
 * Execution history: the {@link dev.parallax.storage.ExecutionHistoryStore} contract (append, scan
 * by tool and time for training, nearest-neighbour search over feature vectors, count, retention),
 * the feature vector a record is indexed by, an in-memory store, and a buffered writer that keeps
 * callers off a slow or unreachable store. The embedded on-disk default lives in {@code
 * dev.parallax.storage.embedded}, the ChromaDB store in {@code dev.parallax.storage.chroma}.
 */
@NullMarked
package dev.parallax.storage;

import org.jspecify.annotations.NullMarked;
