package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's snippet of the history store's neighbours on the live prediction path (compiled in
 * docs; its body is run verbatim by the facade's {@code
 * ParallaxStoreNeighboursOptionTest.readmeSnippet_buildsWithTheStoreAndCloses}).
 */
public class StoreNeighboursLiveSnippet {

  /** Builds the instance; the caller closes it, then the store ({@code parallax.history()}). */
  static Parallax build(List<ExecutionRecord> sample, Path directory) {
    // README:begin
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(sample); // fixed for the store's life
    EmbeddedHistoryStore store = EmbeddedHistoryStore.open(directory, space); // yours to close
    Parallax parallax =
        Parallax.builder()
            .historyStore(store)
            .storeNeighbours(true) // kNN tools answer from the whole history, through a cache
            .build();
    // parallax.predictor().neighbourStats(): store answers, misses, refreshes, drops, failures
    // README:end
    return parallax;
  }
}
