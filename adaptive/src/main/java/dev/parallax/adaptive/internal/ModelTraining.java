package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.Auc;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.ModelReport;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/*
 * Training and evaluation of one pair of models from a window of rows.
 *
 * The window is in arrival order. The newest `heldOutFraction` of it is held out; both models are
 * trained on the rest and compared on the held-out rows with the per-tool moving average as it
 * stood before each row arrived (stored in the row, so the comparison is causal and fair):
 *   - latency: mean absolute error of log latency; the model must be strictly better, and the
 *     choice is made per tool where a tool has enough held-out rows (one tool whose latency the
 *     features do not explain, or that drifts, keeps its moving average while the others use the
 *     model), overall for the rest;
 *   - success: Brier score; the model must be strictly better. AUC is reported too.
 * The upper latency estimate adds the 90th percentile of the model's held-out residuals.
 * Numeric features with a spread are standardised inside the Tribuo model (TransformTrainer), so
 * a saved model carries its own scaling; the one-hot tool features are not scaled.
 */
/**
 * Trains and evaluates a pair of models on a window of rows. Stateless and thread-safe.
 *
 * <p>Internal: may change at any time.
 */
public final class ModelTraining {

  /**
   * Settings of one training.
   *
   * @param minRows fewest rows to train at all
   * @param heldOutFraction share of the newest rows held out for the comparison
   * @param epochs SGD epochs
   * @param seed random seed
   * @param latencyModel which regression
   */
  public record Settings(
      int minRows, double heldOutFraction, int epochs, long seed, LatencyModelType latencyModel) {}

  /** Held-out rows a tool needs before the model-or-baseline choice is made for it alone. */
  static final int MIN_HELD_OUT_PER_TOOL = 5;

  private ModelTraining() {}

  /** Trains on {@code rows} (oldest first); never returns {@code null}; may throw. */
  public static TrainedModels train(List<Row> rows, Settings settings) {
    if (rows.size() < settings.minRows()) {
      return TrainedModels.none("not enough records: " + rows.size() + " < " + settings.minRows());
    }
    int heldOut = Math.max(1, (int) Math.round(rows.size() * settings.heldOutFraction()));
    List<Row> train = rows.subList(0, rows.size() - heldOut);
    List<Row> test = rows.subList(rows.size() - heldOut, rows.size());
    OffsetDateTime when =
        OffsetDateTime.ofInstant(
            Instant.ofEpochMilli(rows.get(rows.size() - 1).endMillis()), ZoneOffset.UTC);
    TransformationMap scaling = scaling(train);
    Set<String> tools = new HashSet<>();
    train.forEach(r -> tools.add(r.tool()));
    List<String> notes = new ArrayList<>();

    // Latency.
    RegressionFactory rf = new RegressionFactory();
    MutableDataset<Regressor> latencyData =
        new MutableDataset<>(
            new SimpleDataSourceProvenance("parallax execution records (log latency)", when, rf),
            rf);
    for (Row r : train) {
      latencyData.add(
          new ArrayExample<>(
              new Regressor(TrainedModels.LOG_LATENCY, r.logLatency()), r.names(), r.values()));
    }
    Trainer<Regressor> latencyInner =
        switch (settings.latencyModel()) {
          case LINEAR_SGD ->
              new LinearSGDTrainer(
                  new SquaredLoss(),
                  new AdaGrad(0.1, 0.1),
                  settings.epochs(),
                  Integer.MAX_VALUE,
                  1,
                  settings.seed());
          case CART -> new CARTRegressionTrainer(8);
        };
    Model<Regressor> latency =
        new TransformTrainer<>(latencyInner, scaling, false).train(latencyData);
    double[] residuals = new double[test.size()];
    double maeModel = 0;
    double maeBaseline = 0;
    Map<String, double[]> errorsByTool = new HashMap<>(); // model, baseline, rows
    for (int i = 0; i < test.size(); i++) {
      Row r = test.get(i);
      double p = TrainedModels.predictLogLatency(latency, r.names(), r.values());
      if (!Double.isFinite(p)) {
        p = fallbackLog(r);
      }
      residuals[i] = r.logLatency() - p;
      double modelError = Math.abs(r.logLatency() - p);
      double baselineError = Math.abs(r.logLatency() - fallbackLog(r));
      maeModel += modelError;
      maeBaseline += baselineError;
      double[] e = errorsByTool.computeIfAbsent(r.tool(), k -> new double[3]);
      e[0] += modelError;
      e[1] += baselineError;
      e[2]++;
    }
    maeModel /= test.size();
    maeBaseline /= test.size();
    boolean beatsOverall = Double.isFinite(maeModel) && maeModel < maeBaseline;
    Set<String> latencyTools = latencyTools(tools, errorsByTool, beatsOverall);
    boolean latencyUsed = !latencyTools.isEmpty();
    if (!beatsOverall) {
      notes.add("latency model did not beat the baseline");
    }
    if (latencyTools.size() < tools.size()) {
      notes.add(
          "latency model used for "
              + latencyTools.size()
              + " of "
              + tools.size()
              + " tools (the baseline answers for the others)");
    }
    double upper = Math.max(0, Metrics.quantile(residuals, 0.9));

    // Success.
    @Nullable Model<Label> success = null;
    double brierModel = Double.NaN;
    double brierBaseline = Double.NaN;
    double auc = Double.NaN;
    boolean successUsed = false;
    boolean anyOk = train.stream().anyMatch(Row::success);
    boolean anyFailed = train.stream().anyMatch(r -> !r.success());
    if (anyOk && anyFailed) {
      LabelFactory lf = new LabelFactory();
      MutableDataset<Label> successData =
          new MutableDataset<>(
              new SimpleDataSourceProvenance("parallax execution records (success)", when, lf), lf);
      for (Row r : train) {
        successData.add(
            new ArrayExample<>(
                new Label(r.success() ? TrainedModels.OK : TrainedModels.FAILED),
                r.names(),
                r.values()));
      }
      var inner =
          new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
              new LogMulticlass(),
              new AdaGrad(0.1, 0.1),
              settings.epochs(),
              Integer.MAX_VALUE,
              1,
              settings.seed());
      success = new TransformTrainer<>(inner, scaling, false).train(successData);
      double[] scores = new double[test.size()];
      boolean[] positive = new boolean[test.size()];
      brierModel = 0;
      brierBaseline = 0;
      for (int i = 0; i < test.size(); i++) {
        Row r = test.get(i);
        double p = TrainedModels.predictSuccess(success, r.names(), r.values());
        if (!Double.isFinite(p)) {
          p = fallbackSuccess(r);
        }
        double y = r.success() ? 1 : 0;
        scores[i] = p;
        positive[i] = r.success();
        brierModel += (y - p) * (y - p);
        double b = fallbackSuccess(r);
        brierBaseline += (y - b) * (y - b);
      }
      brierModel /= test.size();
      brierBaseline /= test.size();
      auc = Auc.of(scores, positive);
      successUsed = brierModel < brierBaseline;
      if (!successUsed) {
        notes.add("success model did not beat the baseline");
      }
    } else {
      notes.add("one class only in training (" + (anyOk ? "all succeeded" : "all failed") + ")");
    }
    ModelReport report =
        new ModelReport(
            train.size(),
            test.size(),
            maeModel,
            maeBaseline,
            latencyUsed,
            brierModel,
            brierBaseline,
            auc,
            successUsed,
            String.join("; ", notes));
    return new TrainedModels(
        latency, success, upper, Set.copyOf(tools), Set.copyOf(latencyTools), report);
  }

  /**
   * The tools whose latency the model should predict: a tool with at least {@value
   * #MIN_HELD_OUT_PER_TOOL} held-out rows gets the model only where it beat the baseline on them; a
   * tool with fewer follows the overall comparison.
   */
  private static Set<String> latencyTools(
      Set<String> tools, Map<String, double[]> errorsByTool, boolean beatsOverall) {
    Set<String> chosen = new HashSet<>();
    for (String tool : tools) {
      double[] e = errorsByTool.get(tool);
      boolean use = e != null && e[2] >= MIN_HELD_OUT_PER_TOOL ? e[0] < e[1] : beatsOverall;
      if (use) {
        chosen.add(tool);
      }
    }
    return chosen;
  }

  /** What the baseline said for a row: its moving average, or the row's own tool mean if new. */
  private static double fallbackLog(Row r) {
    return Double.isFinite(r.baselineLogLatency()) ? r.baselineLogLatency() : 0;
  }

  private static double fallbackSuccess(Row r) {
    return Double.isFinite(r.baselineSuccess()) ? r.baselineSuccess() : 1;
  }

  /** Standardises each numeric feature that varies in the training rows. */
  private static TransformationMap scaling(List<Row> rows) {
    Map<String, double[]> minMax = new HashMap<>();
    for (Row r : rows) {
      for (int i = 0; i < r.names().length; i++) {
        String name = r.names()[i];
        if (!FeatureEncoder.isNumeric(name)) {
          continue;
        }
        double v = r.values()[i];
        double[] mm = minMax.computeIfAbsent(name, k -> new double[] {v, v});
        mm[0] = Math.min(mm[0], v);
        mm[1] = Math.max(mm[1], v);
      }
    }
    Map<String, List<Transformation>> byFeature = new HashMap<>();
    minMax.forEach(
        (name, mm) -> {
          if (mm[1] > mm[0]) {
            byFeature.put(name, List.of(new MeanStdDevTransformation()));
          }
        });
    return new TransformationMap(byFeature);
  }
}
