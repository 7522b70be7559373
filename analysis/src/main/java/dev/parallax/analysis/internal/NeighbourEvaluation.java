package dev.parallax.analysis.internal;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.storage.ExecutionHistoryStore;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.neighbours.StoreNeighbours;
import dev.parallax.storage.neighbours.ToolScaledVectorizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/*
 * The same neighbour rule (StoreNeighbours: mean log latency of the k nearest of the tool's
 * training calls, ties at the k-th distance included, standardised signed-log1p features) over
 * three sets of neighbours, each scored on every task of the held-out instance next to the per-tool
 * mean:
 *
 *   store     every training task, in an EmbeddedHistoryStore in a temp dir (deleted after),
 *             searched by its Lucene HNSW index; features standardised on all of them.
 *   inMemory  the newest KnnIndex.MAX_POINTS (512) training tasks per tool — what the adaptive
 *             module's in-memory index keeps — standardised on those, searched exactly.
 *   exact     every training task, searched exactly (brute force): the store without the HNSW
 *             approximation.
 *
 * "Newest" is the order the predictor would have received the tasks in (the seeded shuffle of
 * LatencyModel). A tool with fewer than 2k training tasks (KnnIndex builds no index then), a tool
 * never seen, a tool none of whose features varies among the variant's rows (KnnIndex builds no
 * index then either), and a task outside the reach of categorical values (the unseen-value rule, if on) are
 * answered by the tool's mean (the prior for a tool never seen), in every variant. No gate and no
 * distance reach: the variants differ only in which neighbours they find.
 */
/**
 * Scores the k-nearest-neighbour rule over the history store's own similarity search next to the
 * in-memory index's newest rows. Stateless. Internal; may change at any time.
 */
public final class NeighbourEvaluation {

  /** The rows the adaptive module's in-memory index keeps per tool (its KnnIndex.MAX_POINTS). */
  public static final int IN_MEMORY_ROWS = 512;

  private static final double MIN_SECONDS = 1e-6;
  private static final int BATCH = 1000;

  private NeighbourEvaluation() {}

  /**
   * One variant's errors and costs.
   *
   * @param errors its and the per-tool mean's absolute log errors per scored task
   * @param answered share of the scored tasks its neighbours answered
   * @param queryMicros per answered task, the time of the neighbour search in microseconds
   */
  public record Variant(PairedErrors errors, double answered, double[] queryMicros) {}

  /**
   * The three variants.
   *
   * @param store the embedded store's HNSW search over every training task
   * @param inMemory exact search over the newest 512 per tool
   * @param exact exact search over every training task
   * @param storeRows training tasks in the store
   * @param inMemoryRows training tasks the in-memory variant kept
   */
  public record Result(
      Variant store, Variant inMemory, Variant exact, int storeRows, int inMemoryRows) {}

  /**
   * Evaluates on {@code scored}, learning from the tasks of {@code instances}; features for which
   * {@code hidden} holds are not used as coordinates (the unseen-value rule still reads them).
   *
   * @throws UncheckedIOException if the temp store cannot be created or deleted
   */
  public static Result evaluate(
      List<List<SimulatedCall>> instances,
      List<SimulatedCall> scored,
      long seed,
      int k,
      boolean unseenValueRule,
      Predicate<String> hidden) {
    List<SimulatedCall> training = new ArrayList<>();
    instances.forEach(training::addAll);
    Collections.shuffle(training, new Random(seed));
    HexFormat hex = HexFormat.of();
    List<ExecutionRecord> records = new ArrayList<>(training.size());
    for (int i = 0; i < training.size(); i++) {
      records.add(LatencyModel.record(training.get(i), "", i, hex, hidden)); // "": no run
    }
    Map<String, double[]> sums = new HashMap<>();
    double all = 0;
    for (SimulatedCall call : training) {
      double[] s = sums.computeIfAbsent(call.tool(), t -> new double[2]);
      s[0] += log(call.duration());
      s[1]++;
      all += log(call.duration());
    }
    double prior = training.isEmpty() ? 0 : all / training.size();
    Categories seen = Categories.seenIn(training);
    Answering base = new Answering(sums, prior, seen, unseenValueRule, hidden, k);

    List<ExecutionRecord> newest = newestPerTool(records, IN_MEMORY_ROWS);
    Variant inMemory = score(base, inMemoryStore(newest), k, scored);
    Variant exact = score(base, inMemoryStore(records), k, scored);
    Variant store;
    Path dir = tempDir();
    try {
      ToolScaledVectorizer space = fitOrNull(records);
      if (space == null) {
        store = score(base, null, k, scored);
      } else {
        try (EmbeddedHistoryStore embedded = EmbeddedHistoryStore.open(dir.resolve("h"), space)) {
          for (int i = 0; i < records.size(); i += BATCH) {
            embedded.append(records.subList(i, Math.min(records.size(), i + BATCH)));
          }
          store = score(base, embedded, k, scored);
        }
      }
    } finally {
      deleteTree(dir);
    }
    return new Result(store, inMemory, exact, records.size(), newest.size());
  }

  private static @Nullable ExecutionHistoryStore inMemoryStore(List<ExecutionRecord> records) {
    ToolScaledVectorizer space = fitOrNull(records);
    if (space == null) {
      return null;
    }
    InMemoryHistoryStore store = new InMemoryHistoryStore(space);
    store.append(records);
    return store;
  }

  private static @Nullable ToolScaledVectorizer fitOrNull(List<ExecutionRecord> records) {
    try {
      return ToolScaledVectorizer.fit(records);
    } catch (IllegalArgumentException noVaryingFeature) {
      return null;
    }
  }

  private static Variant score(
      Answering base, @Nullable ExecutionHistoryStore store, int k, List<SimulatedCall> scored) {
    StoreNeighbours neighbours = store == null ? null : StoreNeighbours.of(store, k);
    double[] model = new double[scored.size()];
    double[] mean = new double[scored.size()];
    double[] micros = new double[scored.size()];
    int answered = 0;
    for (int i = 0; i < scored.size(); i++) {
      SimulatedCall call = scored.get(i);
      double actual = log(call.duration());
      double toolMean = base.mean(call.tool());
      double estimate = toolMean;
      if (neighbours != null
          && base.mayAnswer(call)
          && !((ToolScaledVectorizer) store.vectorizer()).featuresOf(call.tool()).isEmpty()) {
        long t0 = System.nanoTime();
        StoreNeighbours.Estimate e =
            neighbours.estimate(call.tool(), UnseenValueRule.visible(call.features(), base.hidden));
        long t1 = System.nanoTime();
        if (e.answered()) {
          estimate = e.logLatency();
          micros[answered++] = (t1 - t0) / 1e3;
        }
      }
      model[i] = Math.abs(actual - estimate);
      mean[i] = Math.abs(actual - toolMean);
    }
    return new Variant(
        new PairedErrors(model, mean),
        scored.isEmpty() ? Double.NaN : (double) answered / scored.size(),
        Arrays.copyOf(micros, answered));
  }

  /** The median of {@code values}, NaN if empty. */
  public static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  private static List<ExecutionRecord> newestPerTool(List<ExecutionRecord> records, int max) {
    Map<String, Integer> kept = new HashMap<>();
    List<ExecutionRecord> newest = new ArrayList<>();
    for (int i = records.size() - 1; i >= 0; i--) {
      ExecutionRecord r = records.get(i);
      if (kept.merge(r.tool(), 1, Integer::sum) <= max) {
        newest.add(r);
      }
    }
    Collections.reverse(newest);
    return newest;
  }

  private static double log(Duration d) {
    return Math.log(Math.max(MIN_SECONDS, Json.seconds(d)));
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("parallax-loio-neighbours");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp dir for the history store", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temp history store " + root, e);
    }
  }

  /** The fallbacks and the rules deciding whether neighbours may answer. */
  private static final class Answering {
    private final Map<String, double[]> sums;
    private final double prior;
    private final Categories seen;
    private final boolean unseenValueRule;
    private final Predicate<String> hidden;
    private final int k;

    Answering(
        Map<String, double[]> sums,
        double prior,
        Categories seen,
        boolean unseenValueRule,
        Predicate<String> hidden,
        int k) {
      this.sums = sums;
      this.prior = prior;
      this.seen = seen;
      this.unseenValueRule = unseenValueRule;
      this.hidden = hidden;
      this.k = k;
    }

    double mean(String tool) {
      double[] s = sums.get(tool);
      return s == null ? prior : s[0] / s[1];
    }

    boolean mayAnswer(SimulatedCall call) {
      double[] s = sums.get(call.tool());
      if (s == null || s[1] < 2 * k) {
        return false;
      }
      return !unseenValueRule || seen.unseen(call.tool(), call.features()) == null;
    }
  }
}
