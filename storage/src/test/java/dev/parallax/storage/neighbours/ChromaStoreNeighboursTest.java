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

      StoreAgreement.assertAgrees(store, history, 5, 0.5);
    } finally {
      TempFiles.deleteTree(dir);
    }
  }
}
