package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.internal.ModelTraining;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** Retraining on the sliding window: scheduling, atomic swap, failures and slow trainings. */
class BackgroundTrainingTest {

  /** Holds tasks until the test runs them: a training that "runs long" until released. */
  private static final class HeldExecutor implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      List<Runnable> copy = new ArrayList<>(tasks);
      tasks.clear();
      copy.forEach(Runnable::run);
    }
  }

  @Test
  void accept_everyRetrainEveryRecords_trainsOnTheExecutor() {
    HeldExecutor executor = new HeldExecutor();
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(200)
            .minTrainingRows(100)
            .trainingExecutor(executor)
            .build();
    List<ExecutionRecord> records = Workloads.latencyDependsOnSize(450, 5, 0);
    records.subList(0, 199).forEach(predictor);
    assertThat(executor.tasks).isEmpty();
    predictor.accept(records.get(199));
    assertThat(executor.tasks).hasSize(1);
    assertThat(predictor.isTraining()).isTrue();
    executor.runAll();
    assertThat(predictor.trainings()).isEqualTo(1);
    assertThat(predictor.isTraining()).isFalse();
    assertThat(predictor.report().trainRows() + predictor.report().heldOutRows()).isEqualTo(200);
    records.subList(200, 400).forEach(predictor);
    assertThat(executor.tasks).hasSize(1);
    executor.runAll();
    assertThat(predictor.report().trainRows() + predictor.report().heldOutRows()).isEqualTo(400);
  }

  @Test
  void trainingRunsLong_acceptAndPredictNeverWait_oldModelServesUntilTheNewOneIsSwappedIn() {
    HeldExecutor executor = new HeldExecutor();
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(300)
            .gate(8, 0.02) // 300 records: 10 test rows per tool
            .trainingExecutor(executor)
            .build();
    Workloads.latencyDependsOnSize(300, 5, 0).forEach(predictor);
    executor.runAll();
    ModelReport first = predictor.report();
    assertThat(first.latencyModelUsed()).isTrue();
    String modelled =
        first.latencyByTool().entrySet().stream()
            .filter(e -> e.getValue().used())
            .findFirst()
            .orElseThrow()
            .getKey();

    // The next training starts and "runs long" (held); more records arrive meanwhile.
    Workloads.latencyDependsOnSize(900, 6, 300).forEach(predictor);
    assertThat(executor.tasks).hasSize(1);
    assertThat(predictor.isTraining()).isTrue();
    assertThat(predictor.report()).isSameAs(first);
    assertThat(predictor.predict(new CallFeatures(modelled, Map.of("size", 2.0), 0, 1)).source())
        .startsWith(AdaptivePredictor.MODEL);

    executor.runAll();
    assertThat(predictor.report()).isNotSameAs(first);
    assertThat(predictor.report().trainRows() + predictor.report().heldOutRows()).isEqualTo(600);
  }

  @Test
  void trainingThrows_countedAndOldModelKeepsServing() {
    boolean[] fail = {false};
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .gate(8, 0.02) // 300 records: 10 test rows per tool
            .trainingExecutor(Runnable::run)
            .trainer(
                (rows, settings) -> {
                  if (fail[0]) {
                    throw new IllegalStateException("boom");
                  }
                  return ModelTraining.train(rows, settings);
                })
            .build();
    Workloads.latencyDependsOnSize(300, 5, 0).forEach(predictor);
    predictor.retrain();
    ModelReport good = predictor.report();
    fail[0] = true;
    assertThat(predictor.retrain()).isTrue();
    assertThat(predictor.trainingFailures()).isEqualTo(1);
    assertThat(predictor.lastTrainingFailure()).hasMessage("boom");
    assertThat(predictor.isTraining()).isFalse();
    assertThat(predictor.report()).isSameAs(good);
    assertThat(predictor.predict(new CallFeatures("search", Map.of("size", 2.0), 0, 1)).source())
        .startsWith(AdaptivePredictor.MODEL);
  }

  @Test
  void executorRejects_acceptDoesNotThrowAndATrainingCanStartLater() {
    boolean[] reject = {true};
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(100)
            .minTrainingRows(50)
            .trainingExecutor(
                task -> {
                  if (reject[0]) {
                    throw new java.util.concurrent.RejectedExecutionException("full");
                  }
                  task.run();
                })
            .build();
    Workloads.latencyDependsOnSize(100, 5, 0).forEach(predictor);
    assertThat(predictor.isTraining()).isFalse();
    reject[0] = false;
    assertThat(predictor.retrain()).isTrue();
    assertThat(predictor.trainings()).isEqualTo(1);
  }

  @Test
  void window_keepsAtMostWindowSizeRecordsAndNoneOlderThanWindowAge() {
    AdaptivePredictor bySize =
        AdaptivePredictor.builder()
            .windowSize(50)
            .minTrainingRows(10)
            .retrainEvery(Integer.MAX_VALUE)
            .build();
    Workloads.latencyDependsOnSize(120, 5, 0).forEach(bySize);
    assertThat(bySize.windowSize()).isEqualTo(50);

    AdaptivePredictor byAge =
        AdaptivePredictor.builder()
            .windowAge(Duration.ofSeconds(1))
            .retrainEvery(Integer.MAX_VALUE)
            .build();
    // records end 10 ms apart: the last second holds 101 of them
    for (int i = 0; i < 500; i++) {
      byAge.accept(Records.record("a", Duration.ofMillis(5), true, Map.of(), i));
    }
    assertThat(byAge.windowSize()).isEqualTo(101);
  }
}
