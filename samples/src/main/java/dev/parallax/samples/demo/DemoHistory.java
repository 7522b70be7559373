package dev.parallax.samples.demo;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import dev.parallax.Parallax;
import dev.parallax.ParallaxBuilder;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The history store of one demo: embedded in a temporary directory (deleted at close), embedded in
 * a directory the user chose (kept), or a ChromaDB server.
 */
public final class DemoHistory implements AutoCloseable {

  private final ExecutionHistoryStore store;
  private final String description;
  private final @Nullable Path temporary;

  private DemoHistory(ExecutionHistoryStore store, String description, @Nullable Path temporary) {
    this.store = store;
    this.description = description;
    this.temporary = temporary;
  }

  /**
   * Opens the store.
   *
   * @param directory where to keep an embedded store, or {@code null} for a temporary one
   * @param chromaUrl a Chroma server to use instead, or {@code null}
   * @throws IllegalArgumentException if both are given
   * @throws dev.parallax.storage.HistoryStoreException if the store cannot be opened or reached
   */
  public static DemoHistory open(@Nullable Path directory, @Nullable URI chromaUrl)
      throws IOException {
    FeatureVectorizer vectorizer = FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES);
    if (chromaUrl != null) {
      if (directory != null) {
        throw new IllegalArgumentException("--history and --chroma-url both given: choose one");
      }
      ChromaHistoryStore chroma =
          ChromaHistoryStore.builder(chromaUrl, vectorizer).collection("parallax-demo").build();
      chroma.count(); // reachable, and the collection exists (or throws HistoryStoreException)
      return new DemoHistory(
          chroma, "ChromaDB at " + chromaUrl + ", collection parallax-demo", null);
    }
    if (directory != null) {
      return new DemoHistory(
          EmbeddedHistoryStore.open(directory, vectorizer), "embedded store in " + directory, null);
    }
    Path temporary = Files.createTempDirectory("parallax-demo-history");
    return new DemoHistory(
        EmbeddedHistoryStore.open(temporary, vectorizer),
        "embedded store in a temporary directory (deleted at the end)",
        temporary);
  }

  /** A facade builder writing to this store. */
  public ParallaxBuilder parallax() {
    return Parallax.builder().historyStore(store);
  }

  /** Where history goes, for the reader. */
  public String description() {
    return description;
  }

  @Override
  public void close() throws IOException {
    store.close();
    if (temporary != null) {
      MoreFiles.deleteRecursively(temporary, RecursiveDeleteOption.ALLOW_INSECURE);
    }
  }
}
