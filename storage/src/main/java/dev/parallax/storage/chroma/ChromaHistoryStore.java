package dev.parallax.storage.chroma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.AppendResult;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.internal.Batches;
import dev.parallax.storage.internal.ChromaClient;
import dev.parallax.storage.internal.ChromaRecords;
import dev.parallax.storage.internal.EpochNanos;
import dev.parallax.storage.internal.LuceneHistory;
import dev.parallax.storage.internal.PreparedRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ExecutionHistoryStore} in a ChromaDB server (1.x, v2 HTTP API). Each history namespace
 * is one collection (Euclidean space); each record is stored under its {@linkplain
 * dev.parallax.storage.RecordIds id} with its feature vector as the embedding, its fields as
 * metadata (the tool, the start in epoch nanoseconds as {@code start_ns}, each feature {@code NAME}
 * as {@code f:NAME}, ...) and a one-line summary as the document. Appends are upserts, so sending a
 * batch twice stores it once.
 *
 * <p>Building the store does no I/O: the tenant, database and collection are created on first use
 * (if missing), so a store can be built while the server is down. Every operation then calls the
 * server and throws {@link HistoryStoreException} if it cannot be reached; put a {@link
 * dev.parallax.storage.BufferedHistoryWriter} in front of it to keep callers off an unreachable
 * server.
 *
 * <p>Scans return pages in Chroma's storage order (offset paging), not by start time. Nearest-
 * neighbour search uses Chroma's HNSW index; distances are recomputed exactly from the records.
 *
 * <p>Thread-safe. Build with {@link #builder(URI, FeatureVectorizer)}; the builder is not.
 */
public final class ChromaHistoryStore implements ExecutionHistoryStore {

  /** Default tenant. */
  public static final String DEFAULT_TENANT = "default_tenant";

  /** Default database. */
  public static final String DEFAULT_DATABASE = "default_database";

  /** Default namespace. */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final Pattern NAME =
      Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]");
  private static final int DELETE_CHUNK = 1000;
  private static final int UPSERT_CHUNK = 1000;

  private final ChromaClient client;
  private final String tenant;
  private final String database;
  private final String collection;
  private final FeatureVectorizer vectorizer;
  private final int maxStringChars;
  private volatile @Nullable String collectionPath;

  private ChromaHistoryStore(Builder b) {
    this.client = new ChromaClient(b.url, b.authHeader, b.token, b.timeout);
    this.tenant = b.tenant;
    this.database = b.database;
    this.collection = b.collection != null ? b.collection : "parallax-history-" + b.namespace;
    if (!NAME.matcher(collection).matches()) {
      throw new IllegalArgumentException(
          "Chroma collection names have 3-512 chars of [a-zA-Z0-9._-], starting and ending with a"
              + " letter or digit; was "
              + collection);
    }
    this.vectorizer = b.vectorizer;
    this.maxStringChars = b.maxStringChars;
  }

  /** Starts a store on the Chroma server at {@code url} ({@code http://host:port}). */
  public static Builder builder(URI url, FeatureVectorizer vectorizer) {
    return new Builder(url, vectorizer);
  }

  /** The collection this store keeps its history in. */
  public String collection() {
    return collection;
  }

  private String path() {
    String path = collectionPath;
    if (path == null) {
      synchronized (this) {
        path = collectionPath;
        if (path == null) {
          ChromaClient.CollectionInfo info =
              client.getOrCreateCollection(tenant, database, collection, vectorizer.dimension());
          if (info.dimension() != null && info.dimension() != vectorizer.dimension()) {
            throw new IllegalStateException(
                "Chroma collection "
                    + collection
                    + " holds vectors of dimension "
                    + info.dimension()
                    + ", the vectorizer "
                    + vectorizer
                    + " makes "
                    + vectorizer.dimension());
          }
          path = info.path();
          collectionPath = path;
        }
      }
    }
    return path;
  }

  @Override
  public AppendResult append(List<ExecutionRecord> records) {
    Batches.Split split = Batches.prepare(records, vectorizer, maxStringChars);
    List<PreparedRecord> accepted = split.accepted();
    // Chroma refuses a larger upsert (its SQLite statement would exceed the variable limit: 6,000
    // records failed with "too many SQL variables"), so a large batch goes in several requests
    for (int from = 0; from < accepted.size(); from += UPSERT_CHUNK) {
      upsert(accepted.subList(from, Math.min(accepted.size(), from + UPSERT_CHUNK)));
    }
    return new AppendResult(accepted.size(), split.rejected());
  }

  private void upsert(List<PreparedRecord> chunk) {
    ObjectNode body = ChromaClient.object();
    ArrayNode ids = body.putArray("ids");
    ArrayNode embeddings = body.putArray("embeddings");
    ArrayNode metadatas = body.putArray("metadatas");
    ArrayNode documents = body.putArray("documents");
    for (PreparedRecord p : chunk) {
      ids.add(p.id());
      ChromaClient.addVector(embeddings, p.vector());
      metadatas.add(ChromaRecords.metadata(p.record()));
      documents.add(ChromaRecords.document(p.record()));
    }
    client.post(path(), "/upsert", body);
  }

  private static ObjectNode where(@Nullable String tool, Instant from, Instant to) {
    ObjectNode where = ChromaClient.object();
    ArrayNode and = where.putArray("$and");
    and.addObject().putObject(ChromaRecords.START).put("$gte", EpochNanos.of(from));
    and.addObject().putObject(ChromaRecords.START).put("$lt", EpochNanos.of(to));
    if (tool != null) {
      and.addObject().putObject(ChromaRecords.TOOL).put("$eq", tool);
    }
    return where;
  }

  @Override
  public HistoryPage scan(HistoryQuery query) {
    long offset = offset(query.pageToken());
    ObjectNode body = ChromaClient.object();
    body.set("where", where(query.tool(), query.from(), query.to()));
    body.put("offset", offset);
    body.put("limit", (long) query.limit() + 1);
    body.putArray("include").add("metadatas");
    JsonNode answer = client.post(path(), "/get", body);
    List<ExecutionRecord> records = new ArrayList<>();
    JsonNode metadatas = answer.path("metadatas");
    for (int i = 0; i < metadatas.size() && i < query.limit(); i++) {
      records.add(ChromaRecords.record(metadatas.get(i)));
    }
    String next = metadatas.size() > query.limit() ? Long.toString(offset + query.limit()) : null;
    return new HistoryPage(records, next);
  }

  private static long offset(@Nullable String token) {
    if (token == null) {
      return 0;
    }
    try {
      long offset = Long.parseLong(token);
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("not a page token of the Chroma store: " + token);
  }

  @Override
  public List<Neighbor> nearest(float[] vector, int k, @Nullable String tool) {
    Batches.checkQuery(vector, k, vectorizer.dimension());
    ObjectNode body = ChromaClient.object();
    ChromaClient.addVector(body.putArray("query_embeddings"), vector);
    body.put("n_results", k);
    if (tool != null) {
      body.putObject("where").putObject(ChromaRecords.TOOL).put("$eq", tool);
    }
    body.putArray("include").add("metadatas");
    JsonNode answer = client.post(path(), "/query", body);
    List<Neighbor> result = new ArrayList<>();
    for (JsonNode m : answer.path("metadatas").path(0)) {
      ExecutionRecord record = ChromaRecords.record(m);
      result.add(
          new Neighbor(record, LuceneHistory.distance(vector, vectorizer.vectorize(record))));
    }
    result.sort(Comparator.comparingDouble(Neighbor::distance));
    return result;
  }

  @Override
  public long count() {
    return client.count(path());
  }

  @Override
  public long deleteStartedBefore(Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    ObjectNode where = ChromaClient.object();
    where.putObject(ChromaRecords.START).put("$lt", EpochNanos.of(cutoff));
    long deleted = 0;
    while (true) {
      ObjectNode get = ChromaClient.object();
      get.set("where", where);
      get.put("limit", DELETE_CHUNK);
      get.putArray("include");
      JsonNode ids = client.post(path(), "/get", get).path("ids");
      if (ids.isEmpty()) {
        return deleted;
      }
      List<String> chunk = new ArrayList<>();
      ids.forEach(id -> chunk.add(id.asText()));
      ObjectNode delete = ChromaClient.object();
      delete.set("ids", ChromaClient.strings(chunk));
      client.post(path(), "/delete", delete);
      deleted += chunk.size();
    }
  }

  @Override
  public FeatureVectorizer vectorizer() {
    return vectorizer;
  }

  /** Nothing to release: the HTTP client's connections close when idle. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "ChromaHistoryStore[" + tenant + "/" + database + "/" + collection + "]";
  }

  /** Options of a {@link ChromaHistoryStore}. Not thread-safe. */
  public static final class Builder {
    private final URI url;
    private final FeatureVectorizer vectorizer;
    private String tenant = DEFAULT_TENANT;
    private String database = DEFAULT_DATABASE;
    private String namespace = DEFAULT_NAMESPACE;
    private @Nullable String collection;
    private @Nullable String token;
    private String authHeader = "Authorization";
    private Duration timeout = Duration.ofSeconds(10);
    private int maxStringChars = Batches.DEFAULT_MAX_STRING_CHARS;

    private Builder(URI url, FeatureVectorizer vectorizer) {
      this.url = Objects.requireNonNull(url, "url");
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException("Chroma url must be http or https, was " + url);
      }
      this.vectorizer = Objects.requireNonNull(vectorizer, "vectorizer");
    }

    /** The tenant (default {@value #DEFAULT_TENANT}); created if missing. */
    public Builder tenant(String tenant) {
      this.tenant = requireName("tenant", tenant);
      return this;
    }

    /** The database (default {@value #DEFAULT_DATABASE}); created if missing. */
    public Builder database(String database) {
      this.database = requireName("database", database);
      return this;
    }

    /**
     * The history namespace (default {@value #DEFAULT_NAMESPACE}): the collection is {@code
     * parallax-history-NAMESPACE}.
     */
    public Builder namespace(String namespace) {
      this.namespace = requireName("namespace", namespace);
      return this;
    }

    /** The collection's full name, instead of one derived from the namespace. */
    public Builder collection(String collection) {
      this.collection = requireName("collection", collection);
      return this;
    }

    /**
     * The auth token, sent as {@code Authorization: Bearer TOKEN} (or in the header named by {@link
     * #authHeader}); none by default.
     */
    public Builder authToken(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * The header carrying the token, e.g. {@code X-Chroma-Token} (default {@code Authorization}).
     */
    public Builder authHeader(String header) {
      this.authHeader = requireName("authHeader", header);
      return this;
    }

    /** Connect and request timeout (default 10 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Rejects records with a string field longer than this (default 16,384 chars). */
    public Builder maxStringChars(int maxStringChars) {
      if (maxStringChars < 1) {
        throw new IllegalArgumentException("maxStringChars must be >= 1, was " + maxStringChars);
      }
      this.maxStringChars = maxStringChars;
      return this;
    }

    private static String requireName(String what, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
      }
      return value;
    }

    /** Builds the store; no I/O happens until it is used. */
    public ChromaHistoryStore build() {
      return new ChromaHistoryStore(this);
    }
  }
}
