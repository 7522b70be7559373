package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.Auc;
import dev.parallax.adaptive.Gain;
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
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/*
 * Training and evaluation of the models from a window of rows.
 *
 * The window is in arrival order. The newest `heldOutFraction` of it is held out; the models are
 * trained on the rest and compared on the held-out rows with the per-tool moving average as it
 * stood before each row arrived (stored in the row, so the comparison is causal and fair):
 *   - latency, with folds >= 2 (the default of AdaptivePredictor): every row of the window is scored
 *     out of fold, the candidate is chosen per tool and fold on the other folds and gated on all
 *     of the tool's rows, then refitted on all rows (OutOfFoldSelection explains the rule);
 *     with folds = 0: one chosen per tool on half of its held-out rows and gated on the other half
 *     with a paired bootstrap interval (LatencySelection explains the rule);
 *   - success: Brier score on all held-out rows; the classifier answers only if the 95% paired
 *     bootstrap interval of Brier(model) / Brier(baseline) lies below 1 − margin, with at least
 *     gateMinRows rows. AUC is reported too.
 * The upper latency estimate adds the 90th percentile of the used models' held-out residuals.
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
   * @param latencyModels the latency candidates
   * @param gateMinRows fewest scored rows of a tool (out of fold, or half its held-out rows) for a
   *     model to answer
   * @param gateMargin how much lower the model's error must be, with confidence (0.02: 2%)
   * @param folds at least 2: the latency gate scores every row out of fold (OutOfFoldSelection)
   *     with this many folds; 0: it scores the newest {@code heldOutFraction} (LatencySelection)
   * @param groupedFolds whether the folds are whole groups of rows ({@link Row#group()}) rather
   *     than blocks of time, where the rows have at least two groups
   */
  public record Settings(
      int minRows,
      double heldOutFraction,
      int epochs,
      long seed,
      List<LatencyModelType> latencyModels,
      int gateMinRows,
      double gateMargin,
      int folds,
      boolean groupedFolds) {

    /** Copies the candidates. */
    public Settings {
      latencyModels = List.copyOf(latencyModels);
      if (latencyModels.isEmpty()) {
        throw new IllegalArgumentException("no latency model candidates");
      }
      if (folds == 1 || folds < 0) {
        throw new IllegalArgumentException("folds must be 0 or >= 2, was " + folds);
      }
    }
  }

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

    // Latency: candidates, per-tool choice and gate (LatencySelection).
    LatencySelection.Result latency =
        settings.folds() >= 2
            ? OutOfFoldSelection.run(rows, settings, when)
            : LatencySelection.run(train, test, scaling, settings, when);
    boolean latencyUsed = !latency.choices().isEmpty();
    if (latency.choices().size() < tools.size()) {
      notes.add(
          "latency model used for "
              + latency.choices().size()
              + " of "
              + tools.size()
              + " tools (the moving average answers for the others)");
    }

    // Success.
    @Nullable Model<Label> success = null;
    double brierModel = Double.NaN;
    double brierBaseline = Double.NaN;
    double auc = Double.NaN;
    boolean successUsed = false;
    Gain successGain = Gain.none();
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
      double[] modelSquares = new double[test.size()];
      double[] baselineSquares = new double[test.size()];
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
        double b = fallbackSuccess(r);
        modelSquares[i] = (y - p) * (y - p);
        baselineSquares[i] = (y - b) * (y - b);
        brierModel += modelSquares[i];
        brierBaseline += baselineSquares[i];
      }
      brierModel /= test.size();
      brierBaseline /= test.size();
      auc = Auc.of(scores, positive);
      successGain = Gain.bootstrap(modelSquares, baselineSquares, settings.seed() + 7);
      successUsed =
          test.size() >= settings.gateMinRows()
              && successGain.confidentlyBelow(1 - settings.gateMargin());
      if (!successUsed) {
        notes.add("success model not confidently better than the baseline: " + successGain);
      }
    } else {
      notes.add("one class only in training (" + (anyOk ? "all succeeded" : "all failed") + ")");
    }
    ModelReport report =
        new ModelReport(
            train.size(),
            test.size(),
            latency.maeModel(),
            latency.maeBaseline(),
            latencyUsed,
            brierModel,
            brierBaseline,
            auc,
            successUsed,
            String.join("; ", notes),
            latency.gain(),
            successGain,
            latency.byTool());
    return new TrainedModels(
        latency.models(),
        success,
        latency.upperLogOffset(),
        tools,
        latency.choices(),
        latency.neighbours(),
        report);
  }

  private static double fallbackSuccess(Row r) {
    return Double.isFinite(r.baselineSuccess()) ? r.baselineSuccess() : 1;
  }

  /** Standardises each numeric feature that varies in the training rows. */
  static TransformationMap scaling(List<Row> rows) {
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
