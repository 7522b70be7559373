package dev.parallax.storage;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.record.RecordPage;
import dev.parallax.core.record.RecordSource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Keeps {@link ExecutionRecord}s for model training and nearest-neighbour look-ups.
 *
 * <p>Every record has an id derived from its trace and span ids ({@link RecordIds#of}); appending a
 * record whose id is already stored replaces it, so appends are idempotent and a batch that may or
 * may not have arrived can simply be sent again. Every record is indexed by the vector its store's
 * {@link #vectorizer()} derives from its features.
 *
 * <p>Bad records — a non-finite feature, a vector of the wrong dimension, a string longer than the
 * store's limit — are rejected one by one: {@link #append} keeps the rest of the batch and reports
 * each rejected record, by id, tool and call id, in its {@link AppendResult}.
 *
 * <p>A store is a core {@link RecordSource}, so that a model can warm-start from it without
 * depending on this module.
 *
 * <p>Implementations are thread-safe. Methods throw {@link HistoryStoreException} when the store
 * cannot be reached or its storage fails; what was acknowledged before stays acknowledged.
 */
public interface ExecutionHistoryStore extends RecordSource, AutoCloseable {

  /**
   * Stores a batch of records. When this returns, every accepted record is <em>acknowledged</em>:
   * it is as durable as the store can make it (the embedded store has synced it to disk; a server
   * store has had it accepted by the server) and visible to {@link #scan}, {@link #nearest} and
   * {@link #count}.
   *
   * @return how many records were stored and which were rejected, and why
   * @throws HistoryStoreException if the store failed; some of the batch may have been stored, and
   *     appending it again is safe
   */
  AppendResult append(List<ExecutionRecord> records);

  /**
   * One page of the records that match {@code query}. Pages are disjoint, and following {@link
   * HistoryPage#nextPageToken()} until it is {@code null} returns every matching record once (when
   * nothing is appended or deleted meanwhile). The order is the store's: the in-memory and embedded
   * stores return records by start time, then id.
   */
  HistoryPage scan(HistoryQuery query);

  /**
   * The {@link RecordSource} view of {@link #scan(HistoryQuery)}: records of every tool that
   * started in {@code [from, to)}, in the store's order, at most {@code limit} a page.
   *
   * @throws IllegalArgumentException if {@code limit < 1} or {@code from} is after {@code to}
   * @throws HistoryStoreException if the store cannot be read
   */
  @Override
  default RecordPage scan(Instant from, Instant to, int limit, @Nullable String pageToken) {
    HistoryPage page = scan(new HistoryQuery(null, from, to, limit, pageToken));
    return new RecordPage(page.records(), page.nextPageToken());
  }

  /**
   * The {@code k} stored records whose vectors are nearest to {@code vector} (Euclidean distance),
   * nearest first; only records of {@code tool} when it is not {@code null}. Stores backed by an
   * approximate index may miss a true neighbour now and then.
   *
   * @throws IllegalArgumentException if {@code k < 1}, the vector's length is not {@link
   *     FeatureVectorizer#dimension()} or it holds a non-finite value
   */
  List<Neighbor> nearest(float[] vector, int k, @Nullable String tool);

  /** How many records are stored. */
  long count();

  /**
   * Deletes every record that started before {@code cutoff}.
   *
   * @return how many were deleted
   */
  long deleteStartedBefore(Instant cutoff);

  /**
   * Retention: deletes every record that started more than {@code maxAge} before {@code
   * clock.instant()}.
   *
   * @return how many were deleted
   */
  default long deleteOlderThan(Duration maxAge, InstantSource clock) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative, was " + maxAge);
    }
    return deleteStartedBefore(clock.instant().minus(maxAge));
  }

  /** How this store turns a record into the vector it is indexed by. */
  FeatureVectorizer vectorizer();

  /** Releases the store's resources. Acknowledged records stay stored. */
  @Override
  void close();
}
