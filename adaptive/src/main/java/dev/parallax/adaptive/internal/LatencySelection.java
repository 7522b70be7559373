package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.Gain;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.ToolModelChoice;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;

/*
 * Latency candidates, the per-tool choice and the gate.
 *
 * Candidates: every configured LatencyModelType, trained twice on the training rows: on the log
 * latency ("cart") and on its deviation from the tool's moving average as it stood before the row
 * ("cart-residual"; it follows a level shift as fast as the average does, and learns only the
 * shape), and on the log latency of the newest quarter of the training rows only ("cart-recent"; it
 * follows a change of shape once the new regime fills that quarter). Each can be shrunk toward the moving average: base + s·(model − base), s in {1, 0.5}.
 * Next to the Tribuo regressions, per tool: k nearest neighbours ("knn5", "knn20", KnnIndex) over
 * the tool's own training rows, in the space of its call features that vary — the history's
 * similarity search, kept in memory so that a prediction stays within microseconds. A tool whose
 * k-nearest-neighbour candidate passes the gate answers from an index rebuilt on all its rows,
 * held-out ones included (the gate judged the index without them: a conservative estimate).
 *
 * The held-out rows (the newest of the window) of each tool are split alternately, in arrival
 * order, into a validation half and a test half, so both span the same time.
 *   1. Choice: the candidate × shrinkage with the lowest mean absolute error of log latency on the
 *      tool's validation rows.
 *   2. Gate, on the tool's test rows only (they played no part in the choice, so choosing the best
 *      of several candidates cannot pass noise through): the chosen model answers for the tool iff
 *        - the tool has at least minRows test rows, and
 *        - the 95% paired bootstrap interval of MAE(model) / MAE(moving average) lies wholly below
 *          1 − margin, and
 *        - the same interval against the tool's mean log latency over the training rows (a
 *          constant) lies wholly below 1: beating only the moving average's own noise, as any
 *          model that learnt the tool's mean does on data without signal, is not enough.
 *   Otherwise the moving average answers for the tool. The decision is made again at each retrain.
 */
/**
 * Trains the latency candidates, chooses one per tool and gates it. Internal: may change at any
 * time.
 */
final class LatencySelection {

  /** Suffix of a candidate trained on the newest quarter of the training rows only. */
  static final String RECENT = "-recent";

  /** Fewest rows in the newest quarter for a recent candidate. */
  static final int MIN_RECENT_ROWS = 100;

  /** Neighbours of the k-nearest-neighbour candidates ({@code "knn" + k}). */
  static final int[] NEIGHBOURS = {5, 20};

  /** Prefix of the key of a k-nearest-neighbour candidate. */
  static final String KNN = "knn";

  /** Shrinkage weights tried per candidate. */
  static final double[] SHRINKAGE = {1.0, 0.5};

  private LatencySelection() {}

  /**
   * The outcome.
   *
   * @param models the models some tool uses, by key
   * @param choices the tools that passed the gate and how they are predicted
   * @param neighbours per tool whose choice is a k-nearest-neighbour candidate, its index
   * @param byTool every tool's choice and gate decision, for the report
   * @param gain the predictor as it now answers against the moving average, on all test rows
   * @param maeModel the predictor's MAE on all test rows
   * @param maeBaseline the moving average's MAE on all test rows
   * @param upperLogOffset p90 of the used models' held-out residuals (0 if none)
   */
  record Result(
      Map<String, Model<Regressor>> models,
      Map<String, TrainedModels.Choice> choices,
      Map<String, KnnIndex> neighbours,
      Map<String, ToolModelChoice> byTool,
      Gain gain,
      double maeModel,
      double maeBaseline,
      double upperLogOffset) {

    /**
     * The result of a selection from the per-row errors of the answering models and of the moving
     * average on the scored rows, and the residuals of the models used (their p90 is the upper
     * latency offset).
     */
    static Result of(
        Map<String, Model<Regressor>> models,
        Map<String, TrainedModels.Choice> choices,
        Map<String, KnnIndex> neighbours,
        Map<String, ToolModelChoice> byTool,
        List<Double> modelErrors,
        List<Double> baselineErrors,
        List<Double> usedResiduals,
        long seed) {
      double[] m = modelErrors.stream().mapToDouble(Double::doubleValue).toArray();
      double[] b = baselineErrors.stream().mapToDouble(Double::doubleValue).toArray();
      double upper =
          usedResiduals.isEmpty()
              ? 0
              : Math.max(
                  0,
                  Metrics.quantile(
                      usedResiduals.stream().mapToDouble(Double::doubleValue).toArray(), 0.9));
      return new Result(
          models, choices, neighbours, byTool, Gain.bootstrap(m, b, seed), mean(m), mean(b), upper);
    }
  }

  static Result run(
      List<Row> train,
      List<Row> heldOut,
      TransformationMap scaling,
      ModelTraining.Settings settings,
      OffsetDateTime when) {
    Map<String, Model<Regressor>> candidates = new LinkedHashMap<>();
    List<Row> recent = train.subList(train.size() - train.size() / 4, train.size());
    // scaled on its own rows: a feature that varies in the window may be constant in its newest
    // quarter, and standardising a constant gives NaN, which Tribuo refuses
    TransformationMap recentScaling = ModelTraining.scaling(recent);
    for (LatencyModelType type : settings.latencyModels()) {
      if (type == LatencyModelType.NEAREST_NEIGHBOURS) {
        continue; // per tool, below
      }
      String key = type.name().toLowerCase(Locale.ROOT);
      candidates.put(key, fit(train, false, type, scaling, settings, when));
      candidates.put(key + TrainedModels.RESIDUAL, fit(train, true, type, scaling, settings, when));
      if (recent.size() >= MIN_RECENT_ROWS) {
        candidates.put(key + RECENT, fit(recent, false, type, recentScaling, settings, when));
      }
    }
    Map<String, List<Row>> trainByTool = new TreeMap<>();
    for (Row r : train) {
      trainByTool.computeIfAbsent(r.tool(), t -> new ArrayList<>()).add(r);
    }
    Map<String, Map<String, KnnIndex>> knn = new LinkedHashMap<>(); // by key, by tool
    boolean nearest = settings.latencyModels().contains(LatencyModelType.NEAREST_NEIGHBOURS);
    for (int k : nearest ? NEIGHBOURS : new int[0]) {
      Map<String, KnnIndex> byToolIndex = new HashMap<>();
      trainByTool.forEach(
          (tool, rows) -> {
            KnnIndex index = KnnIndex.build(rows, k);
            if (index != null) {
              byToolIndex.put(tool, index);
            }
          });
      if (!byToolIndex.isEmpty()) {
        knn.put(KNN + k, byToolIndex);
      }
    }
    List<String> keys = new ArrayList<>(candidates.keySet());
    keys.addAll(knn.keySet());
    // predictions[c][i]: candidate c's log latency for held-out row i (NaN: the baseline's)
    double[][] predictions = new double[keys.size()][heldOut.size()];
    for (int c = 0; c < keys.size(); c++) {
      Map<String, KnnIndex> indexes = knn.get(keys.get(c));
      if (indexes != null) {
        for (int i = 0; i < heldOut.size(); i++) {
          Row r = heldOut.get(i);
          KnnIndex index = indexes.get(r.tool());
          predictions[c][i] = index == null ? base(r) : index.predict(r.names(), r.values());
        }
        continue;
      }
      Model<Regressor> model = candidates.get(keys.get(c));
      boolean residual = TrainedModels.isResidual(keys.get(c));
      for (int i = 0; i < heldOut.size(); i++) {
        Row r = heldOut.get(i);
        double p = TrainedModels.predictLogLatency(model, r.names(), r.values());
        predictions[c][i] = Double.isFinite(p) ? (residual ? p + base(r) : p) : base(r);
      }
    }
    Map<String, double[]> trainMean = new HashMap<>(); // sum, count
    for (Row r : train) {
      double[] m = trainMean.computeIfAbsent(r.tool(), k -> new double[2]);
      m[0] += r.logLatency();
      m[1]++;
    }
    Map<String, List<Integer>> rowsByTool = new TreeMap<>();
    for (int i = 0; i < heldOut.size(); i++) {
      rowsByTool.computeIfAbsent(heldOut.get(i).tool(), k -> new ArrayList<>()).add(i);
    }

    Map<String, Model<Regressor>> used = new HashMap<>();
    Map<String, TrainedModels.Choice> choices = new HashMap<>();
    Map<String, KnnIndex> neighbours = new HashMap<>();
    Map<String, ToolModelChoice> byTool = new TreeMap<>();
    List<Double> modelErrors = new ArrayList<>();
    List<Double> baselineErrors = new ArrayList<>();
    List<Double> usedResiduals = new ArrayList<>();
    for (String tool : trainMean.keySet()) {
      List<Integer> rows = rowsByTool.getOrDefault(tool, List.of());
      List<Integer> validation = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int k = 0; k < rows.size(); k++) {
        (k % 2 == 0 ? validation : test).add(rows.get(k));
      }
      // 1. choice on the validation half
      int bestC = 0;
      double bestS = 1;
      double bestMae = Double.POSITIVE_INFINITY;
      for (int c = 0; c < keys.size(); c++) {
        Map<String, KnnIndex> indexes = knn.get(keys.get(c));
        if (indexes != null && !indexes.containsKey(tool)) {
          continue; // no index for this tool: the candidate is the moving average itself
        }
        for (double s : SHRINKAGE) {
          double mae = 0;
          for (int i : validation) {
            mae +=
                Math.abs(
                    heldOut.get(i).logLatency() - shrunk(heldOut.get(i), predictions[c][i], s));
          }
          if (mae < bestMae) {
            bestMae = mae;
            bestC = c;
            bestS = s;
          }
        }
      }
      // 2. gate on the test half
      double toolMean = trainMean.get(tool)[0] / trainMean.get(tool)[1];
      double[] model = new double[test.size()];
      double[] baseline = new double[test.size()];
      double[] constant = new double[test.size()];
      for (int k = 0; k < test.size(); k++) {
        Row r = heldOut.get(test.get(k));
        model[k] = Math.abs(r.logLatency() - shrunk(r, predictions[bestC][test.get(k)], bestS));
        baseline[k] = Math.abs(r.logLatency() - base(r));
        constant[k] = Math.abs(r.logLatency() - toolMean);
      }
      long seed = settings.seed() * 31 + tool.hashCode();
      Gain gain = Gain.bootstrap(model, baseline, seed);
      Gain vsMean = Gain.bootstrap(model, constant, seed + 1);
      String reason = gateRefusal(settings, test.size(), "test rows", gain, vsMean);
      boolean pass = reason.isEmpty();
      String key = keys.get(bestC);
      byTool.put(tool, new ToolModelChoice(key, bestS, gain, pass, reason));
      for (int k = 0; k < test.size(); k++) {
        modelErrors.add(pass ? model[k] : baseline[k]);
        baselineErrors.add(baseline[k]);
      }
      if (pass) {
        Map<String, KnnIndex> indexes = knn.get(key);
        if (indexes != null) {
          // chosen and gated on the held-out rows; it answers from all of the tool's rows
          List<Row> all = new ArrayList<>(trainByTool.get(tool));
          rows.forEach(i -> all.add(heldOut.get(i)));
          KnnIndex refit = KnnIndex.build(all, indexes.get(tool).k());
          neighbours.put(tool, refit != null ? refit : indexes.get(tool));
        } else {
          used.put(key, candidates.get(key));
        }
        choices.put(tool, new TrainedModels.Choice(key, TrainedModels.isResidual(key), bestS));
        for (int i : rows) {
          Row r = heldOut.get(i);
          usedResiduals.add(r.logLatency() - shrunk(r, predictions[bestC][i], bestS));
        }
      }
    }
    return Result.of(
        used,
        choices,
        neighbours,
        byTool,
        modelErrors,
        baselineErrors,
        usedResiduals,
        settings.seed());
  }

  /**
   * Why the gate refuses a tool's model scored on {@code rows} rows of the given kind, or "" if it
   * passes: too few rows, not confidently better than the moving average by the margin, or not
   * confidently better than the tool's training mean.
   */
  static String gateRefusal(
      ModelTraining.Settings settings, int rows, String rowKind, Gain gain, Gain vsMean) {
    if (rows < settings.gateMinRows()) {
      return "only " + rows + " " + rowKind + " (" + settings.gateMinRows() + " needed)";
    }
    if (!gain.confidentlyBelow(1 - settings.gateMargin())) {
      return String.format(
          Locale.ROOT,
          "not confidently %.0f%% better than the moving average: %s",
          100 * settings.gateMargin(),
          gain);
    }
    if (!vsMean.confidentlyBelow(1)) {
      return "not confidently better than the tool's training mean: " + vsMean;
    }
    return "";
  }

  static double shrunk(Row r, double prediction, double shrinkage) {
    double base = base(r);
    return base + shrinkage * (prediction - base);
  }

  /** The moving average before the row (0 for a tool's first row, as its feature). */
  static double base(Row r) {
    return Double.isFinite(r.baselineLogLatency()) ? r.baselineLogLatency() : 0;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  static Model<Regressor> fit(
      List<Row> train,
      boolean residual,
      LatencyModelType type,
      TransformationMap scaling,
      ModelTraining.Settings settings,
      OffsetDateTime when) {
    if (Thread.currentThread().isInterrupted()) {
      // close() interrupts the trainer thread; Tribuo does not look, so stop between models
      throw new CancellationException("training interrupted (the predictor is closing)");
    }
    RegressionFactory rf = new RegressionFactory();
    MutableDataset<Regressor> data =
        new MutableDataset<>(
            new SimpleDataSourceProvenance(
                residual
                    ? "parallax execution records (log latency minus the tool's moving average)"
                    : "parallax execution records (log latency)",
                when,
                rf),
            rf);
    for (Row r : train) {
      double target = residual ? r.logLatency() - base(r) : r.logLatency();
      data.add(
          new ArrayExample<>(
              new Regressor(TrainedModels.LOG_LATENCY, target), r.names(), r.values()));
    }
    Trainer<Regressor> inner =
        switch (type) {
          case LINEAR_SGD ->
              new LinearSGDTrainer(
                  new SquaredLoss(),
                  new AdaGrad(0.1, 0.1),
                  settings.epochs(),
                  Integer.MAX_VALUE,
                  1,
                  settings.seed());
          case CART -> cart(1f, settings.seed());
          case RANDOM_FOREST ->
              new RandomForestTrainer<>(
                  cart(0.5f, settings.seed()), new AveragingCombiner(), 10, settings.seed());
          case NEAREST_NEIGHBOURS ->
              throw new IllegalArgumentException("k nearest neighbours is not a Tribuo trainer");
          case GRADIENT_BOOSTING -> null;
        };
    if (inner == null) {
      return boosted(data, scaling, settings.seed());
    }
    return new TransformTrainer<>(inner, scaling, false).train(data);
  }

  /** Stages of {@link LatencyModelType#GRADIENT_BOOSTING}. */
  private static final int BOOSTING_STAGES = 10;

  /** Learning rate of every stage after the first. */
  private static final double BOOSTING_RATE = 0.5;

  /*
   * Gradient boosting with squared loss: F_0 = tree fitted to y, F_m = F_(m-1) + rate·tree fitted
   * to y − F_(m-1). Tribuo's ensembles average their members, so member m is fitted to M times its
   * contribution (a CART with squared error is equivariant to scaling its target) and the average
   * of the M members is the sum of the contributions.
   */
  private static Model<Regressor> boosted(
      MutableDataset<Regressor> data, TransformationMap scaling, long seed) {
    int n = data.size();
    double[] y = new double[n];
    double[] fitted = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = data.getExample(i).getOutput().getValues()[0];
    }
    RegressionFactory rf = new RegressionFactory();
    List<Model<Regressor>> members = new ArrayList<>(BOOSTING_STAGES);
    for (int m = 0; m < BOOSTING_STAGES; m++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("training interrupted (the predictor is closing)");
      }
      double rate = m == 0 ? 1 : BOOSTING_RATE;
      MutableDataset<Regressor> stage = new MutableDataset<>(data.getProvenance(), rf);
      for (int i = 0; i < n; i++) {
        var e = data.getExample(i);
        String[] names = new String[e.size()];
        double[] values = new double[e.size()];
        int j = 0;
        for (var f : e) {
          names[j] = f.getName();
          values[j++] = f.getValue();
        }
        double target = BOOSTING_STAGES * rate * (y[i] - fitted[i]);
        stage.add(
            new ArrayExample<>(new Regressor(TrainedModels.LOG_LATENCY, target), names, values));
      }
      Model<Regressor> member =
          new TransformTrainer<>(
                  new CARTRegressionTrainer(4, 20f, 0f, 1f, new MeanSquaredError(), seed + m),
                  scaling,
                  false)
              .train(stage);
      members.add(member);
      for (int i = 0; i < n; i++) {
        fitted[i] +=
            member.predict(data.getExample(i)).getOutput().getValues()[0] / BOOSTING_STAGES;
      }
    }
    return WeightedEnsembleModel.createEnsembleFromExistingModels(
        "gradient-boosted-cart", members, new AveragingCombiner());
  }

  /** Depth 8, at least 20 rows per leaf. */
  private static CARTRegressionTrainer cart(float featureFraction, long seed) {
    return new CARTRegressionTrainer(8, 20f, 0f, featureFraction, new MeanSquaredError(), seed);
  }
}
