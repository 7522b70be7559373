package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.internal.ToolBaselines;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model-quality claims, on synthetic workloads with fixed seeds. */
class ModelQualityTest {

  private static AdaptivePredictor trainedOn(List<ExecutionRecord> records) {
    return trainedOn(records, LatencyModelType.LINEAR_SGD);
  }

  private static AdaptivePredictor trainedOn(List<ExecutionRecord> records, LatencyModelType type) {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .latencyModel(type)
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    records.forEach(predictor);
    assertThat(predictor.retrain()).isTrue();
    return predictor;
  }

  @Test
  void latencyDependsOnInput_modelMaeOfLogLatencyAtLeast30PercentBelowMovingAverage() {
    List<ExecutionRecord> training = Workloads.latencyDependsOnSize(4000, 11, 0);
    List<ExecutionRecord> heldOut = Workloads.latencyDependsOnSize(1000, 12, 4000);
    AdaptivePredictor predictor = trainedOn(training);
    ToolBaselines movingAverage = new ToolBaselines(0.1);
    for (ExecutionRecord r : training) {
      movingAverage.update(r.tool(), logSeconds(r), r.succeeded(), r.inFlight());
    }

    double maeModel = 0;
    double maeAverage = 0;
    int covered = 0;
    for (ExecutionRecord r : heldOut) {
      Prediction p = predictor.predict(CallFeatures.of(r));
      if (r.duration().compareTo(p.upperLatency()) <= 0) {
        covered++;
      }
      assertThat(p.source()).isEqualTo("model/baseline");
      double actual = logSeconds(r);
      maeModel += Math.abs(actual - Math.log(p.latency().toNanos() / 1e9));
      maeAverage += Math.abs(actual - movingAverage.get(r.tool()).logLatency());
      movingAverage.update(r.tool(), actual, r.succeeded(), r.inFlight());
      predictor.accept(r);
    }
    maeModel /= heldOut.size();
    maeAverage /= heldOut.size();
    double reduction = 1 - maeModel / maeAverage;
    System.out.printf(
        "latency MAE(log) held-out: model %.4f, moving average %.4f, reduction %.1f%%; report %s%n",
        maeModel, maeAverage, 100 * reduction, predictor.report());
    double coverage = covered / (double) heldOut.size();
    System.out.printf(
        "upper latency (p90 of residuals) covers %.1f%% of held-out calls%n", 100 * coverage);
    assertThat(predictor.report().latencyModelUsed()).isTrue();
    assertThat(reduction).isGreaterThanOrEqualTo(0.30);
    assertThat(coverage).isBetween(0.8, 0.97);
  }

  @Test
  void failureDependsOnInput_successProbabilityAucAtLeast085() {
    AdaptivePredictor predictor = trainedOn(Workloads.failureDependsOnSize(4000, 21, 0));
    List<ExecutionRecord> heldOut = Workloads.failureDependsOnSize(1000, 22, 4000);
    double[] scores = new double[heldOut.size()];
    boolean[] ok = new boolean[heldOut.size()];
    for (int i = 0; i < heldOut.size(); i++) {
      ExecutionRecord r = heldOut.get(i);
      Prediction p = predictor.predict(CallFeatures.of(r));
      assertThat(p.source()).endsWith("model");
      scores[i] = p.successProbability();
      ok[i] = r.succeeded();
    }
    double auc = Auc.of(scores, ok);
    System.out.printf("success AUC held-out: %.4f; report %s%n", auc, predictor.report());
    assertThat(predictor.report().successModelUsed()).isTrue();
    assertThat(auc).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void cartLatencyModel_nonLinearDependence_beatsMovingAverage() {
    // latency is a step in size: 20 ms below 5, 400 ms above
    java.util.Random random = new java.util.Random(31);
    java.util.List<ExecutionRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double size = random.nextDouble() * 10;
      double seconds = (size < 5 ? 0.02 : 0.4) * Math.exp(0.1 * random.nextGaussian());
      records.add(
          Records.record(
              "step", Records.seconds(seconds), true, java.util.Map.of("size", size), i));
    }
    AdaptivePredictor predictor = trainedOn(records, LatencyModelType.CART);
    ModelReport report = predictor.report();
    System.out.printf(
        "CART step workload: MAE(log) model %.4f, baseline %.4f%n",
        report.latencyMaeModel(), report.latencyMaeBaseline());
    assertThat(report.latencyModelUsed()).isTrue();
    assertThat(report.latencyMaeModel()).isLessThan(0.5 * report.latencyMaeBaseline());
    assertThat(
            predictor
                .predict(new CallFeatures("step", java.util.Map.of("size", 8.0), 0, 1))
                .latency())
        .isBetween(java.time.Duration.ofMillis(250), java.time.Duration.ofMillis(600));
  }

  @Test
  void gradientBoosting_learnsANonlinearShapeOutsideTheLinearClass() {
    // latency is a bump in size (slow between 3 and 6) plus a saturating curve: no line fits it
    java.util.Random random = new java.util.Random(32);
    java.util.List<ExecutionRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      double size = random.nextDouble() * 10;
      double seconds =
          0.02
              * (size >= 3 && size < 6 ? 5 : 1)
              * (1 + 4 * (1 - Math.exp(-size / 2)))
              * Math.exp(0.1 * random.nextGaussian());
      records.add(
          Records.record(
              "bump", Records.seconds(seconds), true, java.util.Map.of("size", size), i));
    }
    AdaptivePredictor predictor = trainedOn(records, LatencyModelType.GRADIENT_BOOSTING);
    ModelReport report = predictor.report();
    System.out.printf(
        "boosting bump workload: MAE(log) model %.4f, baseline %.4f, choice %s%n",
        report.latencyMaeModel(), report.latencyMaeBaseline(), report.latencyByTool());
    assertThat(report.latencyModelUsed()).isTrue();
    assertThat(report.latencyMaeModel()).isLessThan(0.5 * report.latencyMaeBaseline());
  }

  private static double logSeconds(ExecutionRecord r) {
    return Math.log(r.duration().toNanos() / 1e9);
  }
}
