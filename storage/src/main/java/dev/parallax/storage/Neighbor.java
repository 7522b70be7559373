package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;

/**
 * A stored record near a query vector.
 *
 * @param record the record
 * @param distance the Euclidean distance between its vector and the query vector
 */
public record Neighbor(ExecutionRecord record, double distance) {}
