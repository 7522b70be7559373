package dev.parallax.analysis.internal;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.ModelReport;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.planner.sim.SimulatedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/*
 * The tasks to learn from become execution records, as telemetry would have recorded them, shuffled
 * with a fixed seed so that the predictor's blocks of time are fair samples rather than one input's
 * tasks each. With two training instances or more, each record carries its instance as run id and
 * the predictor's gate folds are whole instances (foldsByRun): a model answers for a tool only if
 * it beat the mean on instances it was not trained on, as it will be used. The predictor trains
 * once, synchronously. Its prior for tools it never saw is the geometric mean of the training latencies, the same value the
 * per-tool-mean baseline falls back to. Recorded tasks have no order that matters (the model is
 * scored on other instances, not on what comes next), so the predictor's per-tool moving average is
 * made a plain running mean (weight 1/n): once trained, it is the per-tool mean of all the training
 * tasks, the same figure as the baseline's, rather than the average of whichever tasks the shuffle
 * put last. It answers when the model does not, and is one of the model's features. Latencies under
 * 1 microsecond count as 1 microsecond (the predictor's own floor) so that zero runtimes have a
 * logarithm.
 *
 * Reach of categorical values (UnseenValueRule, Categories): a scored task carrying a category value
 * (machine=worker-4) that no training task of its tool carried is answered by the tool's mean, the
 * baseline's own figure, whatever the model type; it counts as not answered by the model. Features
 * hidden from the model (by default the machine: see MachineFeature) are left out of the records and
 * of every question to the predictor, but the rule still sees them.
 */
/**
 * Trains the adaptive module's latency predictor on recorded tasks and scores it. Stateless.
 * Internal; may change at any time.
 */
public final class LatencyModel {

  /** Fewest tasks to train a model on; with fewer, the predictor answers from averages alone. */
  public static final int MIN_TRAINING_TASKS = 20;

  private static final double MIN_SECONDS = 1e-6;

  private LatencyModel() {}

  /**
   * A trained predictor and how it did on the scored tasks (the figures of {@code ModelScore}).
   *
   * @param predictor the predictor, for learned-priority scheduling (with the unseen-value rule
   *     applied, if it was)
   * @param trainingTasks tasks it learned from
   * @param scoredTasks tasks it was scored on
   * @param maeLogLatency its error
   * @param baselineMaeLogLatency the per-tool mean's error
   * @param answeredByModel share of the scored tasks the trained model answered
   * @param note why the model was not trained or not used, or {@code ""}
   * @param errors the absolute errors of log latency per scored task, in scored order
   */
  public record Trained(
      Predictor predictor,
      int trainingTasks,
      int scoredTasks,
      double maeLogLatency,
      double baselineMaeLogLatency,
      double answeredByModel,
      String note,
      PairedErrors errors) {}

  /** Learns from {@code training} and scores on {@code scored}, reproducibly for a given seed. */
  public static Trained train(List<SimulatedCall> training, List<SimulatedCall> scored, long seed) {
    return train(training, scored, seed, null);
  }

  /**
   * Learns from {@code training} and scores on {@code scored} with a latency model of {@code type}
   * ({@code null}: the predictor's default), reproducibly for a given seed; the machine a task ran
   * on bounds the model's reach (the unseen-value rule) but is not one of its inputs.
   */
  public static Trained train(
      List<SimulatedCall> training,
      List<SimulatedCall> scored,
      long seed,
      @Nullable LatencyModelType type) {
    return trainOnInstances(
        List.of(training),
        scored,
        seed,
        type,
        true,
        f -> Categories.isOf(f, Categories.MACHINE)); // the machine bounds the reach only
  }

  /**
   * Learns from the tasks of {@code instances} (one list per workflow instance) and scores on
   * {@code scored}, with a latency model of {@code type} ({@code null}: the predictor's default),
   * reproducibly for a given seed. With two instances or more, the predictor's gate folds are whole
   * instances, so that it judges its models on instances they did not see, as they will be used.
   *
   * @param unseenValueRule whether a task carrying a categorical value its tool's training tasks
   *     never carried is answered by the tool's mean rather than the model (see {@link Categories})
   * @param hiddenFromModel features the model neither learns from nor is asked with (the rule still
   *     sees them: a categorical feature can bound the model's reach without being one of its
   *     inputs)
   */
  public static Trained trainOnInstances(
      List<List<SimulatedCall>> instances,
      List<SimulatedCall> scored,
      long seed,
      @Nullable LatencyModelType type,
      boolean unseenValueRule,
      Predicate<String> hiddenFromModel) {
    List<SimulatedCall> training = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < instances.size(); g++) {
      for (SimulatedCall call : instances.get(g)) {
        training.add(call);
        groups.add(Integer.toString(g));
      }
    }
    double priorLog = meanLog(training);
    AdaptivePredictor.Builder builder =
        AdaptivePredictor.builder()
            .trainingExecutor(Runnable::run)
            .retrainEvery(Integer.MAX_VALUE)
            .windowSize(Math.max(MIN_TRAINING_TASKS, training.size()))
            .windowAge(Duration.ofDays(365L * 1000))
            .maxLatency(Duration.ofDays(365))
            .minTrainingRows(MIN_TRAINING_TASKS)
            .prior(Json.seconds(Math.exp(priorLog)), 10, 0.9)
            .baselineAlpha(1.0 / Math.max(1, training.size()))
            .foldsByRun(instances.size() >= 2)
            .seed(seed);
    if (type != null) {
      builder.latencyModel(type);
    }
    AdaptivePredictor predictor = builder.build();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < training.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed));
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < order.size(); i++) {
      int t = order.get(i);
      predictor.accept(record(training.get(t), groups.get(t), i, hex, hiddenFromModel));
    }
    predictor.retrain();

    Map<String, double[]> sums = new HashMap<>();
    for (SimulatedCall call : training) {
      double[] s = sums.computeIfAbsent(call.tool(), k -> new double[2]);
      s[0] += log(call.duration());
      s[1]++;
    }
    Map<String, Double> toolMeans = new HashMap<>();
    sums.forEach((tool, s) -> toolMeans.put(tool, s[0] / s[1]));
    UnseenValueRule answering =
        new UnseenValueRule(
            predictor, Categories.seenIn(training), toolMeans, hiddenFromModel, unseenValueRule);
    double model = 0;
    double baseline = 0;
    int byModel = 0;
    double[] modelErrors = new double[scored.size()];
    double[] baselineErrors = new double[scored.size()];
    int row = 0;
    for (SimulatedCall call : scored) {
      double actual = log(call.duration());
      Prediction p = answering.predict(call.tool(), call.features());
      Double mean = toolMeans.get(call.tool());
      modelErrors[row] = Math.abs(actual - log(p.latency()));
      baselineErrors[row] = Math.abs(actual - (mean == null ? priorLog : mean));
      model += modelErrors[row];
      baseline += baselineErrors[row];
      row++;
      if (p.source().startsWith(AdaptivePredictor.MODEL)) {
        byModel++;
      }
    }
    int n = scored.size();
    String note = note(predictor.report());
    return new Trained(
        answering,
        training.size(),
        n,
        n == 0 ? Double.NaN : model / n,
        n == 0 ? Double.NaN : baseline / n,
        n == 0 ? Double.NaN : (double) byModel / n,
        note,
        new PairedErrors(modelErrors, baselineErrors));
  }

  /** Why the latency model did not answer, or {@code ""}; the success model is not our concern. */
  private static String note(ModelReport report) {
    if (report.trainRows() == 0) {
      return "no model trained (" + report.note() + "): the per-tool moving average answered";
    }
    if (!report.latencyModelUsed()) {
      return "the latency model did not beat the per-tool moving average on its validation slice,"
          + " which answered instead";
    }
    return "";
  }

  /**
   * The record a simulated call of {@code instance} (the run id; {@code ""} for none) would have
   * left, its features filtered by {@code hidden}.
   */
  static ExecutionRecord record(
      SimulatedCall call, String instance, int index, HexFormat hex, Predicate<String> hidden) {
    return ExecutionRecord.builder()
        .tool(call.tool())
        .callId(call.id())
        .traceId("0".repeat(32))
        .spanId(hex.toHexDigits((long) index + 1))
        .runId(instance)
        .start(Instant.EPOCH.plusMillis(index))
        .duration(call.duration())
        .status(call.succeeds() ? CallStatus.SUCCEEDED : CallStatus.FAILED)
        .errorType(call.succeeds() ? null : "failed")
        .attempts(1)
        .queueWait(Duration.ZERO)
        .inFlight(0)
        .cacheHit(false)
        .features(UnseenValueRule.visible(call.features(), hidden))
        .build();
  }

  private static double meanLog(List<SimulatedCall> calls) {
    if (calls.isEmpty()) {
      return 0; // 1 second
    }
    double sum = 0;
    for (SimulatedCall call : calls) {
      sum += log(call.duration());
    }
    return sum / calls.size();
  }

  private static double log(Duration d) {
    return Math.log(Math.max(MIN_SECONDS, Json.seconds(d)));
  }
}
