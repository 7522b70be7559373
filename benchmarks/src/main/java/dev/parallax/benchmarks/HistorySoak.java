package dev.parallax.benchmarks;

import dev.parallax.Parallax;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.storage.BufferedHistoryWriter;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.FeatureVectorizer;
import dev.parallax.storage.chroma.ChromaHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.telemetry.record.ExecutionRecordProcessor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The history soak of issue 11: does every call reach history through the {@link Parallax} facade,
 * with bounded memory, when calls come far faster than the store takes them or while the store is
 * down? Not a unit test: it runs for minutes and prints its figures.
 *
 * <ul>
 *   <li>{@code embedded}: {@code --calls} no-op calls (default 1,000,000) through the facade with
 *       the embedded store, in runs of {@code --per-run} calls (default 10,000; a single run of
 *       1,000,000 with tracing is bounded by how much the engine keeps per finished call — issue 11
 *       item 13 —, not by history). Prints the calls run, the records in history after {@code
 *       close()} (the store reopened and counted), what was dropped, spilled and held back, the
 *       heap's peaks and the wall time. Run it with {@code -Xmx512m}.
 *   <li>{@code chroma}: {@code --calls} calls (default 80,000) paced at {@code --rate} calls per
 *       second (default 4,000) into a Chroma server started here ({@code --chroma-home}, the npm
 *       prefix where {@code chromadb@3.0.4} is installed, default {@code PARALLAX_CHROMA_HOME}),
 *       killed with SIGKILL {@code --outage-at} seconds in (default 4) and started again {@code
 *       --outage} seconds later (default 12). Prints the records stored against those offered.
 * </ul>
 *
 * <p>Usage: {@code java -Xmx512m -cp benchmarks/target/benchmarks.jar
 * dev.parallax.benchmarks.HistorySoak embedded|chroma [options]}; {@code --dir DIR} keeps the files
 * there (default a new temporary directory). Exit status 0 when every record reached history, 1
 * when some did not, 2 on bad arguments.
 */
public final class HistorySoak {

  private static final String USAGE =
      """
      usage: HistorySoak embedded [--calls N] [--per-run N] [--dir DIR]
             HistorySoak chroma [--calls N] [--per-run N] [--rate CALLS_PER_S] [--outage-at S]
                                [--outage S] [--chroma-home DIR] [--dir DIR]
      """;

  private final PrintStream out = System.out;
  private String mode = "";
  private long calls = -1;
  private int perRun = -1;
  private double rate = 4_000;
  private double outageAt = 4;
  private double outage = 12;
  private Path dir;
  private Path chromaHome;

  private HistorySoak() {}

  // Tribuo logs every training at INFO; held here so the setting is not garbage collected
  private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

  /** Runs the soak; see the class comment. */
  public static void main(String[] args) throws Exception {
    TRIBUO.setLevel(Level.WARNING);
    HistorySoak soak = new HistorySoak();
    try {
      soak.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    boolean complete = soak.mode.equals("embedded") ? soak.embedded() : soak.chroma();
    System.exit(complete ? 0 : 1);
  }

  private void parse(String[] args) throws IOException {
    if (args.length == 0 || !(args[0].equals("embedded") || args[0].equals("chroma"))) {
      throw new IllegalArgumentException("the first argument is embedded or chroma");
    }
    mode = args[0];
    for (int i = 1; i < args.length; i++) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      String value = args[++i];
      switch (args[i - 1]) {
        case "--calls" -> calls = Long.parseLong(value);
        case "--per-run" -> perRun = Integer.parseInt(value);
        case "--rate" -> rate = Double.parseDouble(value);
        case "--outage-at" -> outageAt = Double.parseDouble(value);
        case "--outage" -> outage = Double.parseDouble(value);
        case "--dir" -> dir = Path.of(value);
        case "--chroma-home" -> chromaHome = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
      }
    }
    boolean embedded = mode.equals("embedded");
    calls = calls > 0 ? calls : embedded ? 1_000_000 : 80_000;
    perRun = perRun > 0 ? perRun : embedded ? 10_000 : 1_000;
    dir = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("parallax-soak");
    if (chromaHome == null) {
      String home =
          System.getProperty("PARALLAX_CHROMA_HOME", System.getenv("PARALLAX_CHROMA_HOME"));
      chromaHome =
          home != null
              ? Path.of(home)
              : Path.of(System.getProperty("user.home"), ".cache", "parallax", "chroma-3.0.4");
    }
  }

  private static List<Tool<Integer, Integer>> tools() {
    return IntStream.range(0, 4)
        .<Tool<Integer, Integer>>mapToObj(
            t -> Tools.named("noop-" + t).input(Integer.class).function((n, ctx) -> n))
        .toList();
  }

  // ------------------------------------------------------------------ embedded

  private boolean embedded() throws Exception {
    Path history = dir.resolve("history");
    out.printf(
        Locale.ROOT,
        "History soak, embedded store: %,d calls through the facade in runs of %,d; max heap %,d MB;"
            + " history in %s%n",
        calls,
        perRun,
        Runtime.getRuntime().maxMemory() >> 20,
        history);
    List<Tool<Integer, Integer>> tools = tools();
    long succeeded = 0;
    long runNanos;
    long closeNanos;
    Counts counts;
    try (HeapWatch heap = new HeapWatch()) {
      long t0 = System.nanoTime();
      Parallax parallax = Parallax.builder().historyDirectory(history).build();
      try {
        for (long done = 0; done < calls; ) {
          int n = (int) Math.min(perRun, calls - done);
          succeeded += run(parallax, tools.get((int) (done / perRun % tools.size())), done, n);
          done += n;
          if (done % 100_000 < n) {
            out.printf(
                Locale.ROOT,
                "  %,9d calls, %5.1f s; writer %s; heap peak after GC %,d MB%n",
                done,
                (System.nanoTime() - t0) / 1e9,
                parallax.historyWriter(),
                heap.peakAfterGc() >> 20);
          }
        }
        runNanos = System.nanoTime() - t0;
      } finally {
        long c0 = System.nanoTime();
        parallax.close();
        closeNanos = System.nanoTime() - c0;
      }
      counts = Counts.of(parallax);
      heapLine(heap);
    }
    long stored;
    try (EmbeddedHistoryStore reopened =
        EmbeddedHistoryStore.open(
            history, FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES))) {
      stored = reopened.count();
    }
    return report(succeeded, stored, runNanos, closeNanos, counts);
  }

  private long run(Parallax parallax, Tool<Integer, Integer> tool, long from, int n) {
    List<Integer> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      inputs.add((int) ((from + i) % 1_000));
    }
    RunResult result = parallax.executor().executeBatch(tool, inputs);
    return result.results().stream().filter(r -> r.status() == CallStatus.SUCCEEDED).count();
  }

  // ------------------------------------------------------------------ chroma

  private boolean chroma() throws Exception {
    out.printf(
        Locale.ROOT,
        "History soak, Chroma outage: %,d calls at %,.0f calls/s in runs of %,d; Chroma killed"
            + " (SIGKILL) %.0f s in and started again %.0f s later%n",
        calls,
        rate,
        perRun,
        outageAt,
        outage);
    List<Tool<Integer, Integer>> tools = tools();
    try (ChromaProcess server = new ChromaProcess(chromaHome, dir.resolve("chroma-data"));
        HeapWatch heap = new HeapWatch()) {
      server.start();
      ExecutionHistoryStore store =
          ChromaHistoryStore.builder(
                  server.url(), FeatureVectorizer.log1p(Parallax.DEFAULT_VECTOR_FEATURES))
              .namespace("soak-" + System.nanoTime())
              .timeout(Duration.ofSeconds(5))
              .build();
      AtomicLong outageNanos = new AtomicLong(-1);
      long succeeded = 0;
      long runNanos;
      long closeNanos;
      Parallax parallax = Parallax.builder().historyStore(store).build();
      long t0 = System.nanoTime();
      Thread fault =
          Thread.ofPlatform()
              .name("chroma-outage")
              .start(
                  () -> {
                    try {
                      sleepUntil(t0, outageAt);
                      long down = System.nanoTime();
                      server.kill();
                      out.printf(Locale.ROOT, "  Chroma killed at %.1f s%n", (down - t0) / 1e9);
                      sleepUntil(down, outage);
                      server.start();
                      outageNanos.set(System.nanoTime() - down);
                      out.printf(
                          Locale.ROOT,
                          "  Chroma answers again at %.1f s (down %.1f s)%n",
                          (System.nanoTime() - t0) / 1e9,
                          outageNanos.get() / 1e9);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      try {
        for (long done = 0; done < calls; ) {
          sleepUntil(t0, done / rate); // pacing: the outage falls in the middle of the stream
          int n = (int) Math.min(perRun, calls - done);
          succeeded += run(parallax, tools.get((int) (done / perRun % tools.size())), done, n);
          done += n;
          if (done % 10_000 < n) {
            out.printf(
                Locale.ROOT,
                "  %,9d calls, %5.1f s; writer %s%n",
                done,
                (System.nanoTime() - t0) / 1e9,
                parallax.historyWriter());
          }
        }
        runNanos = System.nanoTime() - t0;
        fault.join();
      } finally {
        long c0 = System.nanoTime();
        parallax.close();
        closeNanos = System.nanoTime() - c0;
      }
      Counts counts = Counts.of(parallax);
      heapLine(heap);
      long stored = store.count();
      store.close();
      out.printf(Locale.ROOT, "outage: Chroma down for %.1f s mid-run%n", outageNanos.get() / 1e9);
      return report(succeeded, stored, runNanos, closeNanos, counts);
    }
  }

  private static void sleepUntil(long originNanos, double seconds) throws InterruptedException {
    long wait = originNanos + (long) (seconds * 1e9) - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  // ------------------------------------------------------------------ report

  /** What the facade's record path counted. */
  private record Counts(
      long processorDropped,
      long backpressureWaits,
      long subscriberFailures,
      long writerDelivered,
      long writerDropped,
      long spilled,
      long pending,
      long appendFailures) {

    static Counts of(Parallax parallax) {
      ExecutionRecordProcessor records = parallax.telemetry().records();
      BufferedHistoryWriter writer = parallax.historyWriter();
      return new Counts(
          records.dropped(),
          records.backpressureWaits(),
          records.subscriberFailures(),
          writer.delivered(),
          writer.dropped(),
          writer.spilled(),
          writer.pending(),
          writer.failures());
    }
  }

  private void heapLine(HeapWatch heap) {
    out.printf(
        Locale.ROOT,
        "heap: peak after GC %,d MB, peak in use %,d MB (max %,d MB), %,d collections%n",
        heap.peakAfterGc() >> 20,
        heap.peakUsed() >> 20,
        Runtime.getRuntime().maxMemory() >> 20,
        heap.collections());
  }

  private boolean report(long succeeded, long stored, long runNanos, long closeNanos, Counts c) {
    out.printf(
        Locale.ROOT,
        "calls run: %,d (succeeded %,d) in %.1f s (%,.0f calls/s); close took %.1f s%n",
        calls,
        succeeded,
        runNanos / 1e9,
        calls / (runNanos / 1e9),
        closeNanos / 1e9);
    out.printf(
        Locale.ROOT,
        "record processor: dropped %,d, span ends held back %,d times, subscriber failures %,d%n",
        c.processorDropped(),
        c.backpressureWaits(),
        c.subscriberFailures());
    out.printf(
        Locale.ROOT,
        "history writer: delivered %,d, spilled %,d, dropped %,d, pending at close %,d,"
            + " failed appends %,d%n",
        c.writerDelivered(),
        c.spilled(),
        c.writerDropped(),
        c.pending(),
        c.appendFailures());
    double share = stored / (double) calls;
    Figure figure =
        new Figure(
            "history soak (" + mode + "): records stored / calls",
            share,
            "= 1.00x",
            Figure.Verdict.of(stored == calls),
            String.format(Locale.ROOT, "%,d of %,d (%.4f%%)", stored, calls, 100 * share));
    out.println(figure.line());
    return stored == calls;
  }
}
