package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.core.spi.Prediction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A k-nearest-neighbour model answers only for calls as close to its training calls as the calls
 * its gate judged; a call unlike every training call gets the tool's average.
 *
 * <p>The shape is that of the real blast executions (WfInstances): the per-task chunk is small or
 * large (latency ~10 s or ~1500 s), and the shared database's declared size is recorded in some
 * runs and 0 in others. A run with a small chunk and the database's size recorded — a combination
 * no training run had — was predicted from the large runs (its nearest rows), 100 times too long,
 * and came out worse than the per-tool mean (ratio 1.26 on blast-chameleon-small-001).
 */
@Timeout(300)
class KnnReachTest {

  private static List<ExecutionRecord> runs() {
    Random random = new Random(7);
    List<ExecutionRecord> out = new ArrayList<>();
    // (chunk, database size) per run: large with and without the database recorded, small without
    double[][] runs = {
      {2012, 5.1e9}, {2012, 5.1e9}, {2012, 0}, {2012, 0}, {2012, 0}, {6, 0}, {6, 0}, {6, 0}, {6, 0}
    };
    for (int run = 0; run < runs.length; run++) {
      double chunk = runs[run][0];
      for (int i = 0; i < 60; i++) {
        double seconds = (chunk > 100 ? 1500 : 10) * Math.exp(0.1 * random.nextGaussian());
        out.add(
            Records.record(
                    "blastall",
                    Records.seconds(seconds),
                    true,
                    Map.of("chunk", chunk + random.nextInt(2), "database", runs[run][1]),
                    0)
                .toBuilder()
                .runId("run-" + run)
                .build());
      }
    }
    Collections.shuffle(out, new Random(8));
    List<ExecutionRecord> ordered = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      ordered.add(out.get(i).toBuilder().start(Instant.EPOCH.plusSeconds(i)).build());
    }
    return ordered;
  }

  private static AdaptivePredictor trained() {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .windowAge(Duration.ofDays(1))
            .latencyModel(LatencyModelType.NEAREST_NEIGHBOURS)
            .foldsByRun(true)
            .seed(3)
            .build();
    runs().forEach(predictor);
    assertThat(predictor.retrain()).isTrue();
    return predictor;
  }

  @Test
  void blastSmall001_aFeatureCombinationNoRunHad_theAverageAnswers() {
    AdaptivePredictor predictor = trained();
    ToolModelChoice choice = predictor.report().latencyByTool().get("blastall");
    assertThat(choice.model()).startsWith("knn");
    assertThat(choice.used()).isTrue();

    Prediction seen =
        predictor.predict(
            new CallFeatures("blastall", Map.of("chunk", 6.0, "database", 0.0), 0, 1));
    assertThat(seen.source()).startsWith(AdaptivePredictor.MODEL);
    assertThat(seen.latency()).isLessThan(Duration.ofSeconds(20));

    Prediction unseen =
        predictor.predict(
            new CallFeatures("blastall", Map.of("chunk", 6.0, "database", 5.1e9), 0, 1));
    assertThat(unseen.source()).startsWith(AdaptivePredictor.BASELINE);
  }

  @Test
  void blastSmall001_theReachSurvivesSaveAndLoad(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    AdaptivePredictor original = trained();
    original.save(dir);
    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    runs().forEach(loaded); // the same moving averages
    CallFeatures unseen =
        new CallFeatures("blastall", Map.of("chunk", 6.0, "database", 5.1e9), 0, 1);
    CallFeatures seen = new CallFeatures("blastall", Map.of("chunk", 6.0, "database", 0.0), 0, 1);
    assertThat(loaded.predict(unseen).source()).startsWith(AdaptivePredictor.BASELINE);
    assertThat(loaded.predict(seen)).isEqualTo(original.predict(seen));
  }
}
