package dev.parallax.storage.embedded;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.AppendResult;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.internal.Batches;
import dev.parallax.storage.internal.LuceneHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.jspecify.annotations.Nullable;

/**
 * The embedded default {@link ExecutionHistoryStore}: keeps history in a directory on local disk,
 * indexed with Apache Lucene — records by tool and start time, their vectors in an HNSW graph
 * ({@code KnnFloatVectorField}, Euclidean) for nearest-neighbour search.
 *
 * <p><b>Durability.</b> {@link #append} returns only after Lucene has committed the batch and
 * synced it to disk, so an acknowledged record survives a crash or {@code kill -9} of the process;
 * on reopen Lucene rolls back to the last commit. Each append costs one commit (a few ms of fsync),
 * so append in batches (the {@link dev.parallax.storage.BufferedHistoryWriter} does).
 *
 * <p><b>Recovery.</b> A failed write (a full disk, say) throws {@link HistoryStoreException} and
 * leaves what was acknowledged intact. If the failure was tragic for Lucene's index writer, which
 * then refuses every later write, the next append reopens the writer from the last commit (logged),
 * so the store accepts writes again as soon as the disk has room — no restart needed. Searches keep
 * answering from the last committed state meanwhile. A {@link
 * dev.parallax.storage.BufferedHistoryWriter} in front keeps the records (in memory, then spilled)
 * and retries until then.
 *
 * <p>Scans return records by start time, then id. {@link #nearest Nearest-neighbour search} is
 * exact while at most {@link Builder#exactSearchLimit(int) exactSearchLimit} records (default
 * 20,000) match the query's tool (or the whole store, without a tool): it scans their vectors and
 * returns the true k nearest, ties at equal distance in index order. Beyond that it searches the
 * HNSW graph, which is approximate and on few-dimensional call features misses true neighbours
 * often (a fifth of the k = 5 queries on the storage tests' data); distances are exact for the
 * records it returns either way. One process at a time may open a directory (Lucene's lock file);
 * the store remembers the vector dimension it was created with and refuses to open with another.
 *
 * <p>Thread-safe. Build it with {@link #builder(Path, FeatureVectorizer)}; the builder is not
 * thread-safe.
 */
public final class EmbeddedHistoryStore implements ExecutionHistoryStore {

  private final LuceneHistory lucene;
  private final FeatureVectorizer vectorizer;
  private final int maxStringChars;

  private EmbeddedHistoryStore(Builder b) throws IOException {
    this.vectorizer = b.vectorizer;
    this.maxStringChars = b.maxStringChars;
    this.lucene =
        new LuceneHistory(b.directory, vectorizer, b.ramBufferMb, b.exactSearchLimit, b.wrap);
  }

  /**
   * Starts a store in {@code directory} (created if missing) that indexes records with {@code
   * vectorizer}.
   */
  public static Builder builder(Path directory, FeatureVectorizer vectorizer) {
    return new Builder(directory, vectorizer);
  }

  /** Opens a store with the defaults; see {@link Builder#open()}. */
  public static EmbeddedHistoryStore open(Path directory, FeatureVectorizer vectorizer) {
    return builder(directory, vectorizer).open();
  }

  /** The directory the history is kept in. */
  public Path directory() {
    return lucene.path();
  }

  @Override
  public AppendResult append(List<ExecutionRecord> records) {
    Batches.Split split = Batches.prepare(records, vectorizer, maxStringChars);
    try {
      lucene.write(split.accepted());
    } catch (IOException | RuntimeException e) {
      throw new HistoryStoreException("embedded store " + lucene.path() + " failed to append", e);
    }
    return new AppendResult(split.accepted().size(), split.rejected());
  }

  @Override
  public HistoryPage scan(HistoryQuery query) {
    return io(() -> lucene.scan(query));
  }

  @Override
  public List<Neighbor> nearest(float[] vector, int k, @Nullable String tool) {
    Batches.checkQuery(vector, k, vectorizer.dimension());
    return io(() -> lucene.nearest(vector, k, tool));
  }

  @Override
  public long count() {
    return io(lucene::count);
  }

  @Override
  public long deleteStartedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    return io(() -> lucene.deleteStartedBefore(cutoff));
  }

  @Override
  public FeatureVectorizer vectorizer() {
    return vectorizer;
  }

  @Override
  public void close() {
    try {
      lucene.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the embedded store " + lucene.path() + " failed", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedHistoryStore[" + lucene.path() + ", " + vectorizer + "]";
  }

  private interface IoCall<T> {
    T call() throws IOException;
  }

  private <T> T io(IoCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw new HistoryStoreException("embedded store " + lucene.path() + " failed", e);
    }
  }

  /** Options of an {@link EmbeddedHistoryStore}. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private final FeatureVectorizer vectorizer;
    private int maxStringChars = Batches.DEFAULT_MAX_STRING_CHARS;
    private double ramBufferMb = 32;
    private int exactSearchLimit = LuceneHistory.DEFAULT_EXACT_LIMIT;
    private UnaryOperator<Directory> wrap = UnaryOperator.identity();

    private Builder(Path directory, FeatureVectorizer vectorizer) {
      this.directory = Objects.requireNonNull(directory, "directory");
      this.vectorizer = Objects.requireNonNull(vectorizer, "vectorizer");
    }

    /** Rejects records with a string field longer than this (default 16,384 chars). */
    public Builder maxStringChars(int maxStringChars) {
      if (maxStringChars < 1) {
        throw new IllegalArgumentException("maxStringChars must be >= 1, was " + maxStringChars);
      }
      this.maxStringChars = maxStringChars;
      return this;
    }

    /** Memory Lucene may buffer between flushes of a segment (default 32 MB). */
    public Builder ramBufferMb(double ramBufferMb) {
      if (!(ramBufferMb >= 1)) {
        throw new IllegalArgumentException("ramBufferMb must be >= 1, was " + ramBufferMb);
      }
      this.ramBufferMb = ramBufferMb;
      return this;
    }

    /**
     * Up to how many matching records (those of the queried tool, or all) {@link
     * EmbeddedHistoryStore#nearest} scans exactly rather than searching the HNSW graph (default
     * 20,000; 0: always the graph). A scan costs about one distance per matching record.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder exactSearchLimit(int exactSearchLimit) {
      if (exactSearchLimit < 0) {
        throw new IllegalArgumentException(
            "exactSearchLimit must be >= 0, was " + exactSearchLimit);
      }
      this.exactSearchLimit = exactSearchLimit;
      return this;
    }

    /** Reads and writes the index through this wrapper of its directory: for fault injection. */
    Builder directoryWrapper(UnaryOperator<Directory> wrap) {
      this.wrap = Objects.requireNonNull(wrap, "wrap");
      return this;
    }

    /**
     * Opens the store, creating the directory and an empty index if needed.
     *
     * @throws HistoryStoreException if the directory cannot be opened or locked
     * @throws IllegalStateException if it holds history of another vector dimension
     */
    public EmbeddedHistoryStore open() {
      try {
        return new EmbeddedHistoryStore(this);
      } catch (IOException e) {
        throw new HistoryStoreException("cannot open the embedded store in " + directory, e);
      }
    }
  }
}
