package dev.parallax.storage.internal;

import dev.parallax.core.record.ExecutionRecord;

/**
 * A validated record with its id and vector. Internal: may change at any time.
 *
 * @param id the record's id
 * @param record the record
 * @param vector its vector, of the store's dimension, all finite
 */
public record PreparedRecord(String id, ExecutionRecord record, float[] vector) {}
