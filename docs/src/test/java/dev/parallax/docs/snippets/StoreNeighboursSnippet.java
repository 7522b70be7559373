package dev.parallax.docs.snippets;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.StoreNeighbours;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's snippet of nearest neighbours over the history store's own search (compiled here;
 * run in storage's {@code StoreNeighboursTest.readmeSnippet_estimatesFromTheEmbeddedStore}).
 */
public class StoreNeighboursSnippet {

  static double estimateSeconds(List<ExecutionRecord> history, Path directory) {
    // README:begin
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(history); // per-tool standardised log1p
    try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(directory, space)) {
      store.append(history);
      StoreNeighbours neighbours = StoreNeighbours.of(store, 5); // off the call path: ~0.5 ms
      StoreNeighbours.Estimate e = neighbours.estimate("fetch", Map.of("bytes", 2048.0));
      // seconds: the mean log latency of the 5 nearest past "fetch" calls; NaN if none answers
      return e.answered() ? Math.exp(e.logLatency()) : Double.NaN;
    }
    // README:end
  }
}
