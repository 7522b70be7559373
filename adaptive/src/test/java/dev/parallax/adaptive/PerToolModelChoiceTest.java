package dev.parallax.adaptive;

import static dev.parallax.adaptive.Records.record;
import static dev.parallax.adaptive.Records.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model is used per tool: where it beats the moving average on a tool's held-out calls, not
 * merely on all of them together.
 */
class PerToolModelChoiceTest {

  @TempDir Path dir;

  @Test
  void aToolTheFeaturesMislead_keepsItsMovingAverage_whileTheOthersUseTheModel() {
    // "resize" takes longer with size; "stamp" shares the feature name but ignores it. A linear
    // model learns one size coefficient, fitted to resize, and mispredicts stamp.
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .trainingExecutor(Runnable::run)
            .retrainEvery(Integer.MAX_VALUE)
            .seed(1)
            .build();
    Random random = new Random(5);
    for (int i = 0; i < 1000; i++) {
      double size = Math.exp(random.nextDouble() * Math.log(100));
      double noise = Math.exp(random.nextGaussian() * 0.05);
      if (i % 5 == 0) {
        predictor.accept(record("stamp", seconds(0.05 * noise), true, Map.of("size", size), i));
      } else {
        double latency = 0.01 * Math.pow(size, 0.8) * noise;
        predictor.accept(record("resize", seconds(latency), true, Map.of("size", size), i));
      }
    }

    assertThat(predictor.retrain()).isTrue();

    assertThat(predictor.report().latencyModelUsed()).isTrue();
    assertThat(predictor.report().note()).contains("latency model used for 1 of 2 tools");
    CallFeatures resize = new CallFeatures("resize", Map.of("size", 50.0), 1, 1);
    CallFeatures stamp = new CallFeatures("stamp", Map.of("size", 50.0), 1, 1);
    assertThat(predictor.predict(resize).source()).startsWith(AdaptivePredictor.MODEL);
    assertThat(predictor.predict(stamp).source()).startsWith(AdaptivePredictor.BASELINE);
    assertThat(predictor.predict(stamp).latency().toNanos() / 1e9).isBetween(0.045, 0.055);

    // the choice is kept in the model files
    predictor.save(dir);
    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    assertThat(loaded.predict(resize).source()).startsWith(AdaptivePredictor.MODEL);
    assertThat(loaded.predict(stamp).source()).doesNotStartWith(AdaptivePredictor.MODEL);
  }
}
