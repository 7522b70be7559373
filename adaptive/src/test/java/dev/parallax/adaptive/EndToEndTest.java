package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real executor, no tracing: the engine's records flow into the predictor through the record
 * sink, its predictions are used and recorded, and the adaptive admission control admits the calls.
 */
class EndToEndTest {

  private static final Tool<String, Integer> ECHO =
      Tools.named("echo")
          .input(String.class)
          .features(in -> Map.of("size", (double) in.length()))
          .function((in, ctx) -> in.length());

  private static List<ToolCall<?, ?>> calls(int n, String prefix) {
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(ToolCall.of(prefix + i, ECHO, "x".repeat(1 + i % 50)));
    }
    return calls;
  }

  @Test
  void executorRecordSink_recordsTrainThePredictor_predictionsAreUsedAndRecorded()
      throws Exception {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .minTrainingRows(50)
            .trainingExecutor(Runnable::run)
            .build();
    AdaptiveAdmissionControl admission =
        AdaptiveAdmissionControl.builder().reference(predictor).build();
    ConcurrentLinkedQueue<ExecutionRecord> seen = new ConcurrentLinkedQueue<>();
    CountDownLatch first = new CountDownLatch(200);
    CountDownLatch second = new CountDownLatch(400);
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .predictor(predictor)
            .admissionControl(admission)
            .recordSink(predictor)
            .recordSink(
                r -> {
                  seen.add(r);
                  first.countDown();
                  second.countDown();
                })
            .build()) {
      RunResult run1 = executor.executeParallel(calls(200, "a"));
      assertThat(run1.allSucceeded()).isTrue();
      assertThat(first.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).allSatisfy(r -> assertThat(r.predictionSource()).isEqualTo("prior"));

      assertThat(predictor.retrain()).isTrue();
      assertThat(predictor.trainings()).isEqualTo(1);
      assertThat(predictor.windowSize()).isEqualTo(200);

      seen.clear();
      RunResult run2 = executor.executeParallel(calls(200, "b"));
      assertThat(run2.allSucceeded()).isTrue();
      assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(seen)
          .allSatisfy(
              r -> {
                assertThat(r.predictionSource()).isIn("model", "baseline", "model/baseline");
                assertThat(r.predictedLatency()).isPositive();
              });
    }
    assertThat(admission.inFlight("echo")).isZero();
    assertThat(admission.limit("echo")).isBetween(1, 200);
  }
}
