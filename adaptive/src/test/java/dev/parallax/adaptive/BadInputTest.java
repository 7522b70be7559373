package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad records and degenerate windows never crash and never yield NaN; the baseline answers. */
class BadInputTest {

  private static AdaptivePredictor syncPredictor() {
    return AdaptivePredictor.builder()
        .retrainEvery(Integer.MAX_VALUE)
        .minTrainingRows(10)
        .gate(8, 0.02) // the tests train on 300 records: 10 test rows per tool
        .trainingExecutor(Runnable::run)
        .build();
  }

  private static void assertSane(Prediction p) {
    assertThat(p.latency()).isPositive();
    assertThat(p.upperLatency()).isGreaterThanOrEqualTo(p.latency());
    assertThat(p.successProbability()).isBetween(0.0, 1.0);
  }

  @Test
  void predict_toolNeverSeen_answersPrior() {
    Prediction p = syncPredictor().predict(new CallFeatures("nope", Map.of(), 0, 1));
    assertThat(p.source()).isEqualTo(AdaptivePredictor.PRIOR);
    assertThat(p.latency()).isEqualTo(Duration.ofSeconds(1));
    assertSane(p);
  }

  @Test
  void predict_beforeAnyTraining_answersBaselineMovingAverage() {
    AdaptivePredictor predictor = syncPredictor();
    predictor.accept(Records.record("a", Duration.ofMillis(100), true, Map.of(), 0));
    predictor.accept(Records.record("a", Duration.ofMillis(100), true, Map.of(), 1));
    Prediction p = predictor.predict(new CallFeatures("a", Map.of(), 0, 1));
    assertThat(p.source()).isEqualTo(AdaptivePredictor.BASELINE);
    assertThat(p.latency()).isBetween(Duration.ofNanos(99_999_000), Duration.ofNanos(100_001_000));
    assertThat(p.successProbability()).isEqualTo(1.0);
  }

  @Test
  void accept_negativeOrAbsurdDurations_areRejectedAndChangeNothing() {
    AdaptivePredictor predictor = syncPredictor();
    predictor.accept(Records.record("a", Duration.ofMillis(-5), true, Map.of(), 0));
    predictor.accept(Records.record("a", Duration.ofDays(400), true, Map.of(), 1));
    assertThat(predictor.rejected()).isEqualTo(2);
    assertThat(predictor.windowSize()).isZero();
    assertThat(predictor.predict(new CallFeatures("a", Map.of(), 0, 1)).source())
        .isEqualTo(AdaptivePredictor.PRIOR);
  }

  @Test
  void accept_zeroDurationCancelledAndSkipped_noCrashNoNaN() {
    AdaptivePredictor predictor = syncPredictor();
    predictor.accept(Records.record("a", Duration.ZERO, true, Map.of(), 0));
    predictor.accept(Records.record("a", Duration.ofMillis(1), CallStatus.CANCELLED, Map.of(), 1));
    predictor.accept(Records.record("a", Duration.ofMillis(1), CallStatus.SKIPPED, Map.of(), 2));
    assertThat(predictor.windowSize()).isEqualTo(1);
    assertSane(predictor.predict(new CallFeatures("a", Map.of(), 0, 1)));
  }

  @Test
  void nanAndInfiniteFeatures_areDropped_trainingAndPredictionStayFinite() {
    AdaptivePredictor predictor = syncPredictor();
    for (int i = 0; i < 200; i++) {
      Map<String, Double> f = new HashMap<>();
      f.put("size", i % 3 == 0 ? Double.NaN : i % 3 == 1 ? Double.POSITIVE_INFINITY : i);
      predictor.accept(Records.record("a", Duration.ofMillis(10 + i % 7), i % 5 != 0, f, i));
    }
    predictor.retrain();
    assertThat(predictor.trainingFailures()).isZero();
    Map<String, Double> f = new HashMap<>();
    f.put("size", Double.NaN);
    Prediction p = predictor.predict(new CallFeatures("a", f, 0, 1));
    assertSane(p);
    assertSane(predictor.predict(new CallFeatures("a", Map.of("size", 1e300), 0, 1)));
  }

  @Test
  void retrain_emptyWindow_reportsWhyAndBaselineAnswers() {
    AdaptivePredictor predictor = syncPredictor();
    assertThat(predictor.retrain()).isTrue();
    assertThat(predictor.trainingFailures()).isZero();
    assertThat(predictor.report().note()).contains("not enough records: 0");
    assertThat(predictor.report().latencyModelUsed()).isFalse();
  }

  @Test
  void retrain_allSucceeded_noSuccessModelAndBaselineGivesSuccess() {
    AdaptivePredictor predictor = syncPredictor();
    List<ExecutionRecord> records = Workloads.latencyDependsOnSize(300, 3, 0);
    records.forEach(predictor);
    predictor.retrain();
    assertThat(predictor.report().note()).contains("one class only");
    Prediction p = predictor.predict(new CallFeatures("search", Map.of("size", 3.0), 0, 1));
    assertThat(p.source()).isEqualTo("model/baseline");
    assertThat(p.successProbability()).isEqualTo(1.0);
    assertSane(p);
  }

  @Test
  void predict_toolTheModelHasNotSeen_answersBaselineForIt() {
    AdaptivePredictor predictor = syncPredictor();
    Workloads.latencyDependsOnSize(300, 3, 0).forEach(predictor);
    predictor.retrain();
    predictor.accept(Records.record("newcomer", Duration.ofMillis(30), true, Map.of(), 999));
    assertThat(predictor.predict(new CallFeatures("newcomer", Map.of(), 0, 1)).source())
        .isEqualTo(AdaptivePredictor.BASELINE);
    assertThat(predictor.predict(new CallFeatures("search", Map.of(), 0, 1)).source())
        .startsWith(AdaptivePredictor.MODEL);
  }
}
