package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.internal.ModelTraining;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression (issue 12): one static trainer thread was shared by every predictor in the JVM and
 * never stopped. Each predictor now owns its training thread, and close() stops it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrainingThreadTest {

  private static AdaptivePredictor predictorReporting(CompletableFuture<Thread> trainedOn) {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainer(
                (rows, settings) -> {
                  trainedOn.complete(Thread.currentThread());
                  return ModelTraining.train(rows, settings);
                })
            .build();
    Workloads.latencyDependsOnSize(300, 5, 0).forEach(predictor);
    return predictor;
  }

  @Test
  void eachPredictor_trainsOnAThreadOfItsOwn_andCloseStopsIt() throws Exception {
    CompletableFuture<Thread> first = new CompletableFuture<>();
    CompletableFuture<Thread> second = new CompletableFuture<>();
    Thread a;
    Thread b;
    try (AdaptivePredictor one = predictorReporting(first);
        AdaptivePredictor two = predictorReporting(second)) {
      assertThat(one.retrain()).isTrue();
      assertThat(two.retrain()).isTrue();
      a = first.get(30, TimeUnit.SECONDS);
      b = second.get(30, TimeUnit.SECONDS);
      assertThat(a).isNotSameAs(b);
      assertThat(a.getName()).isEqualTo("parallax-trainer");
      assertThat(a.isDaemon()).isTrue();
    }
    a.join(Duration.ofSeconds(30));
    b.join(Duration.ofSeconds(30));
    assertThat(a.isAlive()).as("first predictor's trainer after close").isFalse();
    assertThat(b.isAlive()).as("second predictor's trainer after close").isFalse();
  }

  @Test
  void afterClose_itStillPredictsButNoLongerTrains() {
    CompletableFuture<Thread> trainedOn = new CompletableFuture<>();
    AdaptivePredictor predictor = predictorReporting(trainedOn);
    predictor.close();
    predictor.close(); // idempotent

    assertThat(predictor.retrain()).isFalse();
    assertThat(trainedOn).isNotDone();
    assertThat(predictor.predict(new CallFeatures("search", java.util.Map.of(), 0, 1)).source())
        .isEqualTo(AdaptivePredictor.BASELINE);
  }

  @Test
  void aGivenTrainingExecutor_staysTheCallers() throws Exception {
    ExecutorService mine = Executors.newSingleThreadExecutor();
    try {
      AdaptivePredictor predictor = AdaptivePredictor.builder().trainingExecutor(mine).build();
      predictor.close();
      assertThat(mine.isShutdown()).isFalse();
      assertThat(mine.submit(() -> 42).get(30, TimeUnit.SECONDS)).isEqualTo(42);
    } finally {
      mine.shutdownNow();
      assertThat(mine.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
