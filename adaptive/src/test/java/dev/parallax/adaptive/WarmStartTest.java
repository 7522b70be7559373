package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * At startup the predictor learns from the history (any core {@code RecordSource}; the real stores
 * are warm-started from in the facade's tests), so it predicts before new traffic.
 */
class WarmStartTest {

  /** The workload's records with ids of their own, as a store keeps them (by trace and span). */
  private static List<ExecutionRecord> history(int n) {
    List<ExecutionRecord> out = new ArrayList<>();
    for (ExecutionRecord r : Workloads.latencyDependsOnSize(n, 7, 0)) {
      out.add(
          r.toBuilder()
              .spanId(String.format("%016x", out.size() + 1))
              .predictedLatency(null)
              .predictedSuccess(null)
              .predictionSource(null)
              .arguments(null)
              .build());
    }
    return out;
  }

  @Test
  void warmStart_fromTheHistory_trainsModelsBeforeAnyNewCall() {
    List<ExecutionRecord> records = history(3000);
    Instant now = records.get(records.size() - 1).end().plusSeconds(1);
    ListRecordSource store = new ListRecordSource(records);
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .windowAge(Duration.ofDays(1))
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();

    long read = predictor.warmStart(store, now);

    assertThat(read).isEqualTo(3000);
    assertThat(store.pages).hasValue(3); // 1000 a page
    assertThat(predictor.report().latencyModelUsed()).isTrue();
    assertThat(predictor.predict(new CallFeatures("search", Map.of("size", 5.0), 1, 1)).source())
        .startsWith(AdaptivePredictor.MODEL);
  }

  @Test
  void warmStart_readsOnlyTheWindowAge() {
    List<ExecutionRecord> records = history(1000);
    Instant now = records.get(records.size() - 1).end().plusSeconds(1);
    ListRecordSource store = new ListRecordSource(records);
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .windowAge(Duration.between(records.get(500).start(), now))
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();

    long read = predictor.warmStart(store, now);

    assertThat(read).isBetween(499L, 501L);
    // the window also ages records by their end, so a few near the cut-off may drop out
    assertThat(predictor.windowSize()).isPositive().isLessThanOrEqualTo((int) read);
  }
}
