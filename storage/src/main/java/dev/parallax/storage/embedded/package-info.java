/**
 * The embedded default {@link dev.parallax.storage.ExecutionHistoryStore}: history in a directory
 * on local disk, indexed with Apache Lucene (vectors in an HNSW graph), durable across restarts and
 * crashes.
 */
@NullMarked
package dev.parallax.storage.embedded;

import org.jspecify.annotations.NullMarked;
