package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The predictor learns from the engine's records, one per attempt. */
class AttemptRecordsTest {

  private static ExecutionRecord attempt(int n, CallStatus status, Duration latency, boolean last) {
    return Records.record("search", latency, status, Map.of(), n).toBuilder()
        .callId("c")
        .attempt(n)
        .finalAttempt(last)
        .build();
  }

  @Test
  void everyAttemptIsARow_aRetriedFailureCountsAsAFailedAttempt() {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();

    predictor.accept(attempt(1, CallStatus.FAILED, Duration.ofMillis(100), false));
    predictor.accept(attempt(2, CallStatus.SUCCEEDED, Duration.ofMillis(10), true));

    assertThat(predictor.windowSize()).isEqualTo(2);
    double success =
        predictor.predict(new CallFeatures("search", Map.of(), 1, 1)).successProbability();
    assertThat(success).isGreaterThan(0.0).isLessThan(1.0);
  }

  @Test
  void callsThatNeverStarted_teachNothing() {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();

    for (CallStatus status : CallStatus.values()) {
      predictor.accept(attempt(0, status, Duration.ZERO, true));
    }

    assertThat(predictor.windowSize()).isZero();
    assertThat(predictor.predict(new CallFeatures("search", Map.of(), 1, 1)).source())
        .isEqualTo(AdaptivePredictor.PRIOR);
  }
}
