package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.spi.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading models with Tribuo's protobuf serialization. */
class ModelFilesTest {

  @TempDir Path dir;

  private static AdaptivePredictor trained() {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    Workloads.failureDependsOnSize(600, 8, 0).forEach(predictor);
    Workloads.latencyDependsOnSize(600, 9, 600).forEach(predictor);
    predictor.retrain();
    return predictor;
  }

  private static final CallFeatures CALL = new CallFeatures("fetch", Map.of("size", 4.0), 2, 1);

  @Test
  void saveThenLoad_freshPredictorPredictsTheSameWithModelSource() {
    AdaptivePredictor original = trained();
    original.save(dir);
    assertThat(dir.resolve("latency.tribuo")).exists();
    assertThat(dir.resolve("success.tribuo")).exists();

    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    assertThat(loaded.report()).isEqualTo(original.report());
    // The fresh predictor has no baseline yet, so the tool context differs; feed the same history.
    Workloads.failureDependsOnSize(600, 8, 0).forEach(loaded);
    Workloads.latencyDependsOnSize(600, 9, 600).forEach(loaded);
    Prediction a = original.predict(CALL);
    Prediction b = loaded.predict(CALL);
    assertThat(b).isEqualTo(a);
    assertThat(b.source()).contains(AdaptivePredictor.MODEL);
  }

  @Test
  void savedFiles_keepTribuoProvenance() {
    trained().save(dir);
    var models = dev.parallax.adaptive.internal.ModelFiles.load(dir);
    assertThat(models.latency().getProvenance().getTrainerProvenance().toString())
        .contains("LinearSGDTrainer");
    assertThat(models.success().getProvenance().getDatasetProvenance().toString())
        .contains("parallax execution records (success)");
  }

  @Test
  void load_corruptModelFile_clearErrorAndBaselineTakesOver() throws IOException {
    AdaptivePredictor predictor = trained();
    predictor.save(dir);
    Files.write(dir.resolve("latency.tribuo"), new byte[] {1, 2, 3, 4, 5, 6, 7});
    assertThatThrownBy(() -> predictor.load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("latency.tribuo")
        .hasMessageContaining("corrupt or incompatible");
    assertThat(predictor.predict(CALL).source()).isEqualTo(AdaptivePredictor.BASELINE);
    assertThat(predictor.report().note()).contains("could not be loaded");
  }

  @Test
  void load_modelOfTheWrongKind_clearError() throws IOException {
    trained().save(dir);
    Files.copy(
        dir.resolve("success.tribuo"),
        dir.resolve("latency.tribuo"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThatThrownBy(() -> AdaptivePredictor.builder().build().load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("expected a latency regression");
  }

  @Test
  void load_missingDirectory_clearError() {
    assertThatThrownBy(() -> AdaptivePredictor.builder().build().load(dir.resolve("nothing")))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("cannot read the model properties");
  }

  @Test
  void save_nothingTrained_clearError() {
    assertThatThrownBy(() -> AdaptivePredictor.builder().build().save(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("nothing to save");
  }
}
