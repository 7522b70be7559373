/**
 * The ChromaDB {@link dev.parallax.storage.ExecutionHistoryStore}: one Chroma collection per
 * history namespace, spoken to over Chroma's v2 HTTP API.
 */
@NullMarked
package dev.parallax.storage.chroma;

import org.jspecify.annotations.NullMarked;
