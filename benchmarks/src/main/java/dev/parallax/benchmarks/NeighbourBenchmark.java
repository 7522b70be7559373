package dev.parallax.benchmarks;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.io.IOException;
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
import java.util.stream.Stream;

/**
 * The embedded store's nearest-neighbour query cost, exact scan against HNSW graph search, on the
 * same data in the same run: two tools with one and two call features (the storage tests' shape),
 * {@code N} records each, in a {@link ToolScaledVectorizer} space; one store with the default
 * exact-search limit, one with {@code exactSearchLimit(0)} (always the graph, as before the limit).
 * Each query of a tool is timed on both stores back to back, alternating which goes first; also
 * printed: the share of queries whose k-th distance equals brute force's.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.parallax.benchmarks.NeighbourBenchmark [--per-tool N,N,...] [--queries N] [--rounds N]}
 * (defaults 1500,20000; 200; 5). Wall-clock figures (System.nanoTime): compare the ratio.
 */
public final class NeighbourBenchmark {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private NeighbourBenchmark() {}

  /** Runs the figures; see the class comment. */
  public static void main(String[] args) throws IOException {
    int[] sizes = {1500, 20_000};
    int queries = 200;
    int rounds = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--per-tool" ->
            sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--queries" -> queries = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: NeighbourBenchmark [--per-tool N,N,...] [--queries N] [--rounds N]");
          System.exit(2);
        }
      }
    }
    for (int perTool : sizes) {
      run(perTool, queries, rounds);
    }
  }

  private static void run(int perTool, int queries, int rounds) throws IOException {
    List<ExecutionRecord> history = history(perTool, 8);
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(history);
    List<Map.Entry<String, float[]>> probes = new ArrayList<>();
    for (ExecutionRecord r : history(queries / 2, 99)) {
      probes.add(Map.entry(r.tool(), space.vectorize(r)));
    }
    Path exactDir = Files.createTempDirectory("parallax-neighbour-bench");
    Path graphDir = Files.createTempDirectory("parallax-neighbour-bench");
    try (InMemoryHistoryStore truth = new InMemoryHistoryStore(space);
        EmbeddedHistoryStore exact = EmbeddedHistoryStore.open(exactDir, space);
        EmbeddedHistoryStore graph =
            EmbeddedHistoryStore.builder(graphDir, space).exactSearchLimit(0).open()) {
      for (int from = 0; from < history.size(); from += 1000) {
        List<ExecutionRecord> batch = history.subList(from, Math.min(history.size(), from + 1000));
        truth.append(batch);
        exact.append(batch);
        graph.append(batch);
      }
      for (int k : new int[] {5, 64}) {
        long[][] nanos = new long[2][probes.size() * rounds];
        int[] equalKth = new int[2];
        for (int warm = 0; warm < 2; warm++) {
          for (Map.Entry<String, float[]> p : probes) {
            exact.nearest(p.getValue(), k, p.getKey());
            graph.nearest(p.getValue(), k, p.getKey());
          }
        }
        int n = 0;
        for (int round = 0; round < rounds; round++) {
          for (Map.Entry<String, float[]> p : probes) {
            boolean exactFirst = (n % 2 == 0);
            for (int j = 0; j < 2; j++) {
              boolean isExact = (j == 0) == exactFirst;
              EmbeddedHistoryStore store = isExact ? exact : graph;
              long t = System.nanoTime();
              List<Neighbor> found = store.nearest(p.getValue(), k, p.getKey());
              nanos[isExact ? 0 : 1][n] = System.nanoTime() - t;
              if (round == 0) {
                double want = truth.nearest(p.getValue(), k, p.getKey()).get(k - 1).distance();
                if (found.get(k - 1).distance() == want) {
                  equalKth[isExact ? 0 : 1]++;
                }
              }
            }
            n++;
          }
        }
        Arrays.sort(nanos[0]);
        Arrays.sort(nanos[1]);
        double exactMedian = nanos[0][n / 2] / 1e3;
        double graphMedian = nanos[1][n / 2] / 1e3;
        System.out.printf(
            Locale.ROOT,
            "%,7d per tool, k=%2d | exact scan: median %,8.1f µs, k-th = truth %5.1f%%"
                + " | HNSW graph: median %,8.1f µs, k-th = truth %5.1f%% | exact/graph %.2f%n",
            perTool,
            k,
            exactMedian,
            100.0 * equalKth[0] / probes.size(),
            graphMedian,
            100.0 * equalKth[1] / probes.size(),
            exactMedian / graphMedian);
      }
    } finally {
      delete(exactDir);
      delete(graphDir);
    }
  }

  /* The storage tests' neighbour data: "fetch" (bytes) and "parse" (items, depth). */
  private static List<ExecutionRecord> history(int perTool, long seed) {
    Random random = new Random(seed);
    List<ExecutionRecord> records = new ArrayList<>();
    long n = 0;
    for (int i = 0; i < perTool; i++) {
      double bytes = i % 10 == 0 ? 4096 : Math.exp(4 + 10 * random.nextDouble());
      double seconds = 0.001 * Math.sqrt(bytes) * Math.exp(0.2 * random.nextGaussian());
      records.add(record(seed, n++, "fetch", Map.of("bytes", bytes), seconds));
      double items = 1 + random.nextInt(1000);
      double depth = random.nextInt(4);
      double parse = 0.01 * items * (1 + depth) * Math.exp(0.3 * random.nextGaussian());
      records.add(record(seed, n++, "parse", Map.of("items", items, "depth", depth), parse));
    }
    return records;
  }

  private static ExecutionRecord record(
      long seed, long n, String tool, Map<String, Double> features, double seconds) {
    return ExecutionRecord.builder()
        .tool(tool)
        .callId("call-" + seed + "-" + n)
        .traceId(String.format("%016x%016x", seed, n))
        .spanId(String.format("%016x", n + 1))
        .runId("run-" + n % 3)
        .start(T0.plusMillis(n))
        .duration(Duration.ofNanos(Math.round(seconds * 1e9)))
        .status(CallStatus.SUCCEEDED)
        .attempts(1)
        .queueWait(Duration.ZERO)
        .inFlight(0)
        .cacheHit(false)
        .features(features)
        .build();
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
