package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Folds of whole runs: the gate sees how a model does on runs it was not trained on, so a shift
 * between runs that folds of time (here: shuffled records) hide makes it refuse.
 */
@Timeout(300)
class FoldsByRunTest {

  /**
   * Five runs of one tool; in four, latency grows with {@code size}; in the fifth it falls with it
   * (the same program on another machine, say). Records arrive shuffled.
   */
  private static List<ExecutionRecord> shiftedRun() {
    Random random = new Random(5);
    List<ExecutionRecord> out = new ArrayList<>();
    for (int run = 0; run < 5; run++) {
      for (int i = 0; i < 120; i++) {
        double size = random.nextDouble() * 10;
        double log = (run < 4 ? 0.3 * size : 3 - 0.3 * size) + 0.2 * random.nextGaussian();
        out.add(
            Records.record("t", Records.seconds(Math.exp(log)), true, Map.of("size", size), 0)
                .toBuilder()
                .runId("run-" + run)
                .build());
      }
    }
    Collections.shuffle(out, new Random(6));
    List<ExecutionRecord> ordered = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      ordered.add(out.get(i).toBuilder().start(java.time.Instant.EPOCH.plusSeconds(i)).build());
    }
    return ordered;
  }

  private static AdaptivePredictor predictor(boolean byRun) {
    return AdaptivePredictor.builder()
        .retrainEvery(Integer.MAX_VALUE)
        .trainingExecutor(Runnable::run)
        .windowAge(java.time.Duration.ofDays(1))
        .foldsByRun(byRun)
        .seed(5)
        .build();
  }

  @Test
  void foldsOfTime_doNotSeeTheShiftedRun_theModelAnswers() {
    AdaptivePredictor model = predictor(false);
    shiftedRun().forEach(model);
    assertThat(model.retrain()).isTrue();
    System.out.println("folds of time: " + model.report().latencyByTool());
    assertThat(model.report().latencyByTool().get("t").used()).isTrue();
  }

  @Test
  void foldsOfRuns_seeTheShiftedRun_theMovingAverageAnswers() {
    AdaptivePredictor model = predictor(true);
    shiftedRun().forEach(model);
    assertThat(model.retrain()).isTrue();
    ToolModelChoice t = model.report().latencyByTool().get("t");
    System.out.println("folds of runs: " + t);
    assertThat(t.used()).isFalse();
    assertThat(t.reason()).contains("held-out runs");
  }
}
