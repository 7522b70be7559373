package dev.parallax.storage.neighbours;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.testing.ChromaServer;
import dev.parallax.storage.testing.TempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The neighbour estimate over a real Chroma server's query (storage's test fixture). */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChromaStoreNeighboursTest {

  @Test
  void chromaQuery_agreesWithBruteForce() throws Exception {
    Path dir = Files.createTempDirectory("parallax-chroma-neighbours");
    try (ChromaServer server = ChromaServer.start(dir.resolve("data"))) {
      List<ExecutionRecord> history = NeighbourData.history(600, 11);
      ChromaHistoryStore store =
          ChromaHistoryStore.builder(server.url(), ToolScaledVectorizer.fit(history))
              .tenant("parallax-tests")
              .database("neighbours")
              .namespace("agreement")
              .build();
      store.append(history);

      // Chroma searches its HNSW index (hnswlib): no exactness is guaranteed. Measured on this
      // data: every k = 5 and k = 20 answer equal to brute force's (also with 1,500 calls per
      // tool). The floor of 90% was set after seeing that figure; it leaves room for Chroma's
      // graph build, which need not be the same from run to run. The other bounds (never nearer
      // than the truth, mean |difference| below 0.05) are the design's, see StoreAgreement.
      StoreAgreement.assertAgrees(store, history, 5, 0.9);
      StoreAgreement.assertAgrees(store, history, 20, 0.9);
    } finally {
      TempFiles.deleteTree(dir);
    }
  }
}
