package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression: a feature that varies over the training window but is constant in its newest quarter
 * made the "recent" candidate standardise a constant, which gave NaN: Tribuo refused the example
 * and the whole training failed, so the model never answered (seen on the real 1000genome
 * executions, feature {@code children}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConstantInRecentRowsTest {

  @Test
  void aFeatureConstantInTheNewestRows_doesNotFailTraining() {
    Random random = new Random(7);
    try (AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .seed(7)
            .build()) {
      int n = 2000;
      for (int i = 0; i < n; i++) {
        double size = 1 + random.nextInt(100);
        // "children" varies in the older half and is 2 in the newer one
        Map<String, Double> features =
            Map.of("size", size, "children", i < n / 2 ? 1.0 + random.nextInt(5) : 2.0);
        predictor.accept(
            Records.record(
                "t",
                Records.seconds(0.01 * size * Math.exp(0.1 * random.nextGaussian())),
                true,
                features,
                i));
      }
      predictor.retrain();

      assertThat(predictor.trainingFailures()).isZero();
      assertThat(predictor.report().trainRows()).isPositive();
    }
  }
}
