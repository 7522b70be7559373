package dev.parallax.benchmarks;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * History store figures: appends per second into the embedded store and (with {@code --chroma URL})
 * into a Chroma server, in batches, and nearest-neighbour query time over the stored records
 * (default 100,000), with the in-memory store's exact linear scan as the baseline of the same run.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.parallax.benchmarks.StorageBenchmark [--records N] [--batch N] [--queries N] [--chroma URL]}.
 * Wall-clock figures (System.nanoTime): run on a quiet machine.
 */
public final class StorageBenchmark {

  private static final List<String> FEATURES =
      List.of("input.bytes", "items", "depth", "fanout", "retries", "size", "score", "age");
  private static final FeatureVectorizer VECTORIZER = FeatureVectorizer.log1p(FEATURES);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private StorageBenchmark() {}

  /** Runs the figures; see the class comment. */
  public static void main(String[] args) throws IOException {
    int records = 100_000;
    int batch = 1000;
    int queries = 500;
    String chroma = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--records" -> records = Integer.parseInt(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--chroma" -> chroma = args[++i];
        default -> {
          System.err.println(
              "usage: StorageBenchmark [--records N] [--batch N] [--queries N] [--chroma URL]");
          System.exit(2);
        }
      }
    }
    List<ExecutionRecord> data = generate(records, 42);
    List<float[]> probes = new ArrayList<>();
    for (ExecutionRecord r : generate(queries, 7)) {
      probes.add(VECTORIZER.vectorize(r));
    }
    System.out.printf(
        Locale.ROOT,
        "History store benchmark: %,d records, batches of %,d, %,d queries (k=10)%n",
        records,
        batch,
        queries);

    try (InMemoryHistoryStore memory = new InMemoryHistoryStore(VECTORIZER)) {
      report("in-memory (exact, baseline)", memory, data, batch, probes, Double.NaN);
    }
    Path dir = Files.createTempDirectory("parallax-storage-bench");
    try (EmbeddedHistoryStore embedded = EmbeddedHistoryStore.open(dir, VECTORIZER)) {
      report("embedded (Lucene)", embedded, data, batch, probes, 10_000);
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    if (chroma != null) {
      ChromaHistoryStore store =
          ChromaHistoryStore.builder(URI.create(chroma), VECTORIZER)
              .namespace("bench-" + System.nanoTime())
              .timeout(Duration.ofSeconds(60))
              .build();
      report("Chroma (HTTP v2)", store, data, batch, probes, 1_000);
    } else {
      System.out.println("Chroma: skipped (pass --chroma http://localhost:PORT)");
    }
  }

  private static void report(
      String name,
      ExecutionHistoryStore store,
      List<ExecutionRecord> data,
      int batch,
      List<float[]> probes,
      double target) {
    long t0 = System.nanoTime();
    for (int from = 0; from < data.size(); from += batch) {
      store.append(data.subList(from, Math.min(data.size(), from + batch)));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double perSecond = data.size() / seconds;
    if (store.count() != data.size()) {
      throw new IllegalStateException(name + " holds " + store.count() + " records");
    }
    // warm up, then time each query
    for (int i = 0; i < Math.min(50, probes.size()); i++) {
      store.nearest(probes.get(i), 10, null);
    }
    long[] all = time(store, probes, null);
    long[] filtered = time(store, probes, "tool-3");
    System.out.printf(
        Locale.ROOT,
        "%-28s appends %,10.0f/s%s | nearest k=10 over %,d: median %,8.0f µs p99 %,8.0f µs"
            + " | one tool of 8: median %,8.0f µs%n",
        name,
        perSecond,
        Double.isNaN(target)
            ? ""
            : (perSecond >= target
                ? " (target " + (long) target + ": PASS)"
                : " (target " + (long) target + ": MISS)"),
        data.size(),
        all[all.length / 2] / 1e3,
        all[(int) (all.length * 0.99)] / 1e3,
        filtered[filtered.length / 2] / 1e3);
  }

  private static long[] time(ExecutionHistoryStore store, List<float[]> probes, String tool) {
    long[] nanos = new long[probes.size()];
    for (int i = 0; i < nanos.length; i++) {
      long t = System.nanoTime();
      store.nearest(probes.get(i), 10, tool);
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static List<ExecutionRecord> generate(int n, long seed) {
    Random random = new Random(seed);
    List<ExecutionRecord> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Double> features = new TreeMap<>();
      for (String f : FEATURES) {
        features.put(f, Math.floor(Math.exp(random.nextGaussian() * 2 + 3)));
      }
      list.add(
          ExecutionRecord.builder()
              .tool("tool-" + random.nextInt(8))
              .callId("call-" + seed + "-" + i)
              .traceId(String.format("%016x%016x", seed, i))
              .spanId(String.format("%016x", i + 1L))
              .runId("run-" + i / 100)
              .start(T0.plusNanos(i * 1_000_000L + random.nextInt(1000)))
              .duration(Duration.ofMillis(1 + random.nextInt(500)))
              .status(random.nextInt(20) == 0 ? CallStatus.FAILED : CallStatus.SUCCEEDED)
              .attempts(1)
              .queueWait(Duration.ofNanos(random.nextInt(100_000)))
              .inFlight(1 + random.nextInt(8))
              .cacheHit(false)
              .features(features)
              .build());
    }
    return list;
  }
}
