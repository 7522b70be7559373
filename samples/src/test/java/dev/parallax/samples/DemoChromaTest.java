package dev.parallax.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.Parallax;
import dev.parallax.samples.cli.ParallaxCli;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.testing.ChromaServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --chroma-url} against a real Chroma server started for the test. */
class DemoChromaTest {

  @TempDir Path dir;

  @Test
  void demo_withChromaUrl_keepsItsHistoryInChroma() {
    try (ChromaServer chroma = ChromaServer.start(dir.resolve("chroma"))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int status =
          ParallaxCli.run(
              new PrintWriter(out),
              new PrintWriter(err),
              "demo",
              "--chroma-url",
              chroma.url().toString());

      assertThat(status).as(err.toString()).isZero();
      assertThat(out.toString())
          .contains("History: ChromaDB at " + chroma.url())
          .contains("round 6: prediction error")
          .contains("=== Demo complete ===");
      ChromaHistoryStore store =
          ChromaHistoryStore.builder(
                  chroma.url(), FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES))
              .collection("parallax-demo")
              .build();
      assertThat(store.count()).isGreaterThan(200); // the graph, cache, fallback and learning calls
    }
  }
}
