package dev.parallax.storage.chroma;

import static dev.parallax.storage.testing.Records.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.AppendResult;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.HistoryStoreContract;
import dev.parallax.storage.HistoryStoreException;
import dev.parallax.storage.testing.ChromaServer;
import dev.parallax.storage.testing.Records;
import dev.parallax.storage.testing.TempFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract, run against {@link ChromaHistoryStore} on a real Chroma server (one server for the
 * class, one collection per test), and what only the Chroma store does.
 */
class ChromaHistoryStoreTest extends HistoryStoreContract {

  private static final AtomicInteger COLLECTIONS = new AtomicInteger();
  private static Path dataDir;
  private static ChromaServer server;

  @Override
  protected void beforeOpening() throws Exception {
    // started by the first test, so that without Node.js every test reports itself skipped
    if (server == null) {
      if (dataDir == null) {
        dataDir = Files.createTempDirectory("parallax-chroma-contract");
      }
      server = ChromaServer.start(dataDir.resolve("data"));
    }
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (dataDir != null) {
      TempFiles.deleteTree(dataDir);
    }
  }

  @Override
  protected ExecutionHistoryStore openStore(FeatureVectorizer vectorizer) {
    return ChromaHistoryStore.builder(server.url(), vectorizer)
        .tenant("parallax-tests")
        .database("contract")
        .namespace("test-" + COLLECTIONS.incrementAndGet())
        .build();
  }

  /** Regression: one upsert of 6,000 records failed ("too many SQL variables" in Chroma). */
  @Test
  void append_moreRecordsThanOneChromaRequestTakes_storesEveryRecord() {
    List<ExecutionRecord> many =
        LongStream.range(0, 6000).mapToObj(n -> record(n, "bulk")).toList();

    AppendResult result = store.append(many);

    assertThat(result.accepted()).isEqualTo(6000);
    assertThat(store.count()).isEqualTo(6000);
  }

  @Test
  void namespaces_areSeparateCollections() {
    store.append(List.of(record(1, "a")));
    ExecutionHistoryStore other =
        ChromaHistoryStore.builder(server.url(), Records.XYZ)
            .tenant("parallax-tests")
            .database("contract")
            .namespace("other-" + COLLECTIONS.incrementAndGet())
            .build();

    other.append(List.of(record(2, "a"), record(3, "a")));

    assertThat(store.count()).isEqualTo(1);
    assertThat(other.count()).isEqualTo(2);
    assertThat(other.scan(HistoryQuery.all()).records())
        .extracting(r -> r.callId())
        .containsExactlyInAnyOrder("call-2", "call-3");
  }

  @Test
  void sameCollection_withAnotherDimension_isRefused() {
    ChromaHistoryStore first = (ChromaHistoryStore) store;
    first.append(List.of(record(1, "a")));
    ChromaHistoryStore twoDims =
        ChromaHistoryStore.builder(server.url(), FeatureVectorizer.of(List.of("x", "y")))
            .tenant("parallax-tests")
            .database("contract")
            .collection(first.collection())
            .build();

    assertThatThrownBy(twoDims::count)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dimension 3")
        .hasMessageContaining("makes 2");
  }

  @Test
  void unreachableServer_failsWithAnErrorNamingTheServer() {
    ChromaHistoryStore nowhere =
        ChromaHistoryStore.builder(URI.create("http://127.0.0.1:9"), Records.XYZ)
            .timeout(Duration.ofSeconds(2))
            .build();

    assertThatThrownBy(() -> nowhere.append(List.of(record(1, "a"))))
        .isInstanceOf(HistoryStoreException.class)
        .hasMessageContaining("127.0.0.1:9");
  }
}
