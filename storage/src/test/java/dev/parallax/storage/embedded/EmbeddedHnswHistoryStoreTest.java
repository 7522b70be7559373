package dev.parallax.storage.embedded;

import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.HistoryStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract, run against an {@link EmbeddedHistoryStore} that always searches its graph. */
class EmbeddedHnswHistoryStoreTest extends HistoryStoreContract {

  @TempDir Path dir;

  @Override
  protected ExecutionHistoryStore openStore(FeatureVectorizer vectorizer) {
    return EmbeddedHistoryStore.builder(dir.resolve("history"), vectorizer)
        .exactSearchLimit(0)
        .open();
  }
}
