package dev.parallax.storage.internal;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.RecordIds;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * The Lucene index behind the embedded store. One document per record: {@code id} (term, and doc
 * values for the scan order), {@code tool} (term), {@code start} (epoch nanos as a point for range
 * queries and doc values for sorting), {@code vec} (HNSW vector, Euclidean) and {@code rec} (the
 * record as JSON, stored). Writes replace by id, then commit (fsync) and refresh the near-real-time
 * searcher, so a write that returned is durable and visible. After a tragic error (a full disk, an
 * out-of-memory) closed Lucene's writer, the next write reopens it from the last commit, so the
 * store recovers once the disk has room again. Nearest-neighbour queries scan the matching vectors
 * exactly up to a limit of matching records and search the HNSW graph beyond it (see {@code
 * ExactNearest} for why). Internal: may change at any time.
 */
public final class LuceneHistory implements Closeable {

  private static final Logger LOG = Logger.getLogger(LuceneHistory.class.getName());
  private static final String ID = "id";
  private static final String TOOL = "tool";
  private static final String START = "start";
  private static final String VECTOR = "vec";
  private static final String RECORD = "rec";
  private static final String DIMENSION_KEY = "parallax.dimension";
  private static final Sort SCAN_ORDER =
      new Sort(new SortField(START, SortField.Type.LONG), new SortField(ID, SortField.Type.STRING));

  /*
   * HNSW graph building dominates append cost. A beam width of 32 (default 100) with 16
   * neighbours per node keeps recall high on the few-dimensional vectors call features make, for
   * about half the build cost; the codec name stays the default one, so indexes read back with
   * Lucene's own codec. Merging re-links graphs, so segments are merged in larger, rarer steps.
   */
  private static final KnnVectorsFormat VECTORS = new Lucene99HnswVectorsFormat(16, 32);
  private static final Codec CODEC =
      new Lucene103Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return VECTORS;
        }
      };
  private static final TieredMergePolicy MERGES =
      new TieredMergePolicy().setSegmentsPerTier(20).setFloorSegmentMB(64);

  /** Default of {@link #exactLimit()}. */
  public static final int DEFAULT_EXACT_LIMIT = 20_000;

  private final Path path;
  private final int exactLimit;
  private final FeatureVectorizer vectorizer;
  private final double ramBufferMb;
  private final Directory directory;
  private final ReentrantLock writeLock = new ReentrantLock();
  // replaced together, under writeLock, when the writer is reopened after a tragic error
  private volatile IndexWriter writer;
  private volatile SearcherManager searchers;
  private long failedWrites;
  private long reopens;

  /** Opens or creates the index in {@code path}. */
  public LuceneHistory(Path path, FeatureVectorizer vectorizer, double ramBufferMb)
      throws IOException {
    this(path, vectorizer, ramBufferMb, DEFAULT_EXACT_LIMIT, UnaryOperator.identity());
  }

  /**
   * Opens or creates the index in {@code path}, reading and writing it through {@code wrap} of its
   * file-system directory (tests inject faults there: a full disk); {@link #nearest} scans exactly
   * up to {@code exactLimit} matching records.
   */
  public LuceneHistory(
      Path path,
      FeatureVectorizer vectorizer,
      double ramBufferMb,
      int exactLimit,
      UnaryOperator<Directory> wrap)
      throws IOException {
    if (exactLimit < 0) {
      throw new IllegalArgumentException("exactLimit must be >= 0, was " + exactLimit);
    }
    this.exactLimit = exactLimit;
    this.path = path;
    this.vectorizer = vectorizer;
    this.ramBufferMb = ramBufferMb;
    Files.createDirectories(path);
    this.directory = wrap.apply(FSDirectory.open(path));
    IndexWriter opened;
    try {
      checkDimension();
      opened = openWriter();
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    this.writer = opened;
    if (!DirectoryReader.indexExists(directory)) {
      writer.commit();
    }
    this.searchers = new SearcherManager(writer, true, false, null);
  }

  private IndexWriter openWriter() throws IOException {
    IndexWriterConfig config =
        new IndexWriterConfig()
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setRAMBufferSizeMB(ramBufferMb)
            .setCodec(CODEC)
            .setMergePolicy(MERGES)
            .setCommitOnClose(true);
    IndexWriter w = new IndexWriter(directory, config);
    w.setLiveCommitData(Map.of(DIMENSION_KEY, Integer.toString(vectorizer.dimension())).entrySet());
    return w;
  }

  /*
   * After a tragic error (a full disk while flushing a segment, an out-of-memory) Lucene closes
   * the IndexWriter for good: every later call throws AlreadyClosedException. The index on disk
   * is intact up to the last commit, so a new IndexWriter on the same directory rolls back to it
   * and goes on. The next write after a failure does that (under the write lock); until the disk
   * has room again the new writer fails the same way and is reopened on the next try. Searches
   * keep using the last searcher meanwhile.
   */
  private void reopenIfBroken() throws IOException {
    IndexWriter current = writer;
    if (current.isOpen() && current.getTragicException() == null) {
      return;
    }
    try {
      current.rollback(); // releases the write lock; a no-op if Lucene closed it already
    } catch (IOException | RuntimeException e) {
      // it is being thrown away
    }
    IndexWriter reopened = openWriter();
    SearcherManager old = searchers;
    searchers = new SearcherManager(reopened, true, false, null);
    writer = reopened;
    reopens++;
    try {
      old.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the searchers of the broken writer failed", e);
    }
    LOG.fine("history index " + path + " writer reopened from the last commit");
  }

  /* A failing episode is logged when it starts and when a write succeeds again, not per try. */
  private void onWriteFailure(Throwable e) {
    IndexWriter current = writer;
    Throwable tragedy = current.getTragicException();
    if (failedWrites++ == 0 && (tragedy != null || !current.isOpen())) {
      LOG.log(
          Level.WARNING,
          "the history index "
              + path
              + " hit a tragic error and closed its writer; each later write reopens it from the"
              + " last commit until one succeeds",
          tragedy != null ? tragedy : e);
    }
  }

  private void onWriteSuccess() {
    if (failedWrites > 0) {
      LOG.info(
          "history index "
              + path
              + " accepts writes again after "
              + failedWrites
              + " failed write(s)"
              + (reopens > 0
                  ? "; its writer was reopened from the last commit " + reopens + " time(s)"
                  : ""));
      failedWrites = 0;
      reopens = 0;
    }
  }

  private void checkDimension() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return;
    }
    String stored = SegmentInfos.readLatestCommit(directory).getUserData().get(DIMENSION_KEY);
    if (stored != null && !stored.equals(Integer.toString(vectorizer.dimension()))) {
      throw new IllegalStateException(
          "the history in "
              + path
              + " has vectors of dimension "
              + stored
              + ", the vectorizer "
              + vectorizer
              + " makes "
              + vectorizer.dimension());
    }
  }

  /** The index directory. */
  public Path path() {
    return path;
  }

  /** Stores the records (replacing by id), commits and refreshes. */
  public void write(List<PreparedRecord> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      reopenIfBroken();
      IndexWriter w = writer;
      try {
        for (PreparedRecord p : records) {
          w.updateDocument(new Term(ID, p.id()), document(p));
        }
        w.commit();
      } catch (IOException | RuntimeException e) {
        onWriteFailure(e);
        throw e;
      }
      onWriteSuccess();
      searchers.maybeRefreshBlocking();
    } finally {
      writeLock.unlock();
    }
  }

  private static Document document(PreparedRecord p) {
    long start = EpochNanos.of(p.record().start());
    Document doc = new Document();
    doc.add(new StringField(ID, p.id(), Field.Store.NO));
    doc.add(new SortedDocValuesField(ID, new BytesRef(p.id())));
    doc.add(new StringField(TOOL, p.record().tool(), Field.Store.NO));
    doc.add(new LongPoint(START, start));
    doc.add(new NumericDocValuesField(START, start));
    doc.add(new KnnFloatVectorField(VECTOR, p.vector(), VectorSimilarityFunction.EUCLIDEAN));
    doc.add(new StoredField(RECORD, RecordJson.toBytes(p.record())));
    return doc;
  }

  /** One page of a scan, by start then id. */
  public HistoryPage scan(HistoryQuery query) throws IOException {
    StartKey after = StartKey.parse(query.pageToken());
    Query q = filter(query.tool(), EpochNanos.of(query.from()), EpochNanos.of(query.to()));
    return withSearcher(searcher -> scan(searcher, q, after, query));
  }

  private HistoryPage scan(
      IndexSearcher searcher, Query q, @Nullable StartKey after, HistoryQuery query)
      throws IOException {
    int n = query.limit() == Integer.MAX_VALUE ? query.limit() : query.limit() + 1;
    TopDocs top =
        after == null
            ? searcher.search(q, n, SCAN_ORDER)
            : searcher.searchAfter(
                // the last doc id: the token's own record (same values) is not "after" it
                new FieldDoc(
                    Math.max(0, searcher.getIndexReader().maxDoc() - 1),
                    Float.NaN,
                    new Object[] {after.startNanos(), new BytesRef(after.id())}),
                q,
                n,
                SCAN_ORDER);
    StoredFields stored = searcher.storedFields();
    List<ExecutionRecord> records = new ArrayList<>();
    int count = Math.min(top.scoreDocs.length, query.limit());
    for (int i = 0; i < count; i++) {
      records.add(read(stored, top.scoreDocs[i].doc));
    }
    String next = null;
    if (top.scoreDocs.length > query.limit()) {
      ExecutionRecord last = records.get(records.size() - 1);
      next = new StartKey(EpochNanos.of(last.start()), RecordIds.of(last)).token();
    }
    return new HistoryPage(records, next);
  }

  private interface SearcherCall<T> {
    T call(IndexSearcher searcher) throws IOException;
  }

  /* A searcher of the current manager; a manager closed by a reopen meanwhile is skipped. */
  private <T> T withSearcher(SearcherCall<T> call) throws IOException {
    while (true) {
      SearcherManager manager = searchers;
      IndexSearcher searcher;
      try {
        searcher = manager.acquire();
      } catch (AlreadyClosedException e) {
        if (manager != searchers) {
          continue;
        }
        throw e;
      }
      try {
        return call.call(searcher);
      } finally {
        manager.release(searcher);
      }
    }
  }

  private static Query filter(@Nullable String tool, long fromNanos, long toNanos) {
    if (toNanos <= fromNanos) {
      return new MatchNoDocsQuery();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(LongPoint.newRangeQuery(START, fromNanos, toNanos - 1), BooleanClause.Occur.FILTER);
    if (tool != null) {
      b.add(new TermQuery(new Term(TOOL, tool)), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  private static ExecutionRecord read(StoredFields stored, int doc) throws IOException {
    BytesRef json = stored.document(doc, java.util.Set.of(RECORD)).getBinaryValue(RECORD);
    return RecordJson.fromBytes(json.bytes, json.offset, json.length);
  }

  /**
   * The {@code k} nearest records, nearest first (ties by index order), with exact distances: a
   * scan of every candidate vector when at most {@link #exactLimit()} records match {@code tool}
   * (or the whole index without a tool), an HNSW search otherwise (see the class comment).
   */
  public List<Neighbor> nearest(float[] vector, int k, @Nullable String tool) throws IOException {
    Query filter = tool == null ? null : new TermQuery(new Term(TOOL, tool));
    return withSearcher(
        searcher -> {
          int candidates =
              filter == null ? searcher.getIndexReader().numDocs() : searcher.count(filter);
          if (candidates <= exactLimit) {
            StoredFields stored = searcher.storedFields();
            List<Neighbor> result = new ArrayList<>();
            for (ExactNearest.Hit hit : ExactNearest.search(searcher, VECTOR, filter, vector, k)) {
              result.add(new Neighbor(read(stored, hit.doc()), Math.sqrt(hit.squaredDistance())));
            }
            return result;
          }
          TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, k, filter), k);
          StoredFields stored = searcher.storedFields();
          List<Neighbor> result = new ArrayList<>();
          for (ScoreDoc sd : top.scoreDocs) {
            ExecutionRecord record = read(stored, sd.doc);
            result.add(new Neighbor(record, distance(vector, vectorizer.vectorize(record))));
          }
          result.sort(Comparator.comparingDouble(Neighbor::distance));
          return result;
        });
  }

  /**
   * Up to how many matching records {@link #nearest} scans exactly rather than searching the HNSW
   * graph.
   */
  public int exactLimit() {
    return exactLimit;
  }

  /** Euclidean distance. */
  public static double distance(float[] a, float[] b) {
    return Math.sqrt(ExactNearest.squared(a, b));
  }

  /** How many records are stored. */
  public long count() throws IOException {
    return withSearcher(searcher -> (long) searcher.getIndexReader().numDocs());
  }

  /** Deletes the records that started before {@code cutoff}; commits. */
  public long deleteStartedBefore(Instant cutoff) throws IOException {
    long limit = EpochNanos.of(cutoff);
    if (limit <= 0) {
      return 0;
    }
    Query old = LongPoint.newRangeQuery(START, Long.MIN_VALUE, limit - 1);
    writeLock.lock();
    try {
      reopenIfBroken();
      int matching = withSearcher(searcher -> searcher.count(old));
      if (matching > 0) {
        IndexWriter w = writer;
        try {
          w.deleteDocuments(old);
          w.commit();
        } catch (IOException | RuntimeException e) {
          onWriteFailure(e);
          throw e;
        }
        onWriteSuccess();
        searchers.maybeRefreshBlocking();
      }
      return matching;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    Map<String, Exception> failures = new HashMap<>();
    try {
      searchers.close();
    } catch (IOException e) {
      failures.put("searchers", e);
    }
    try {
      writer.close();
    } finally {
      directory.close();
    }
    if (!failures.isEmpty()) {
      throw new IOException("closing " + path + " failed: " + failures);
    }
  }
}
