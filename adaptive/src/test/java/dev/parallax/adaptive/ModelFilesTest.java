package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.spi.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading models with Tribuo's protobuf serialization. */
class ModelFilesTest {

  @TempDir Path dir;

  private static AdaptivePredictor trained() {
    return trained(LatencyModelType.CART);
  }

  private static AdaptivePredictor trained(LatencyModelType type) {
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .latencyModel(type)
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
  void saveThenLoad_freshPredictorPredictsTheSameWithModelSource() throws IOException {
    AdaptivePredictor original = trained();
    original.save(dir);
    assertThat(latencyFile()).exists();
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
  void saveThenLoad_nearestNeighbours_predictsTheSame() throws IOException {
    AdaptivePredictor original = trained(LatencyModelType.NEAREST_NEIGHBOURS);
    assertThat(original.report().latencyByTool().get("fetch").model()).startsWith("knn");
    assertThat(original.report().latencyByTool().get("fetch").used()).isTrue();
    original.save(dir);
    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    assertThat(loaded.report()).isEqualTo(original.report());
    Workloads.failureDependsOnSize(600, 8, 0).forEach(loaded);
    Workloads.latencyDependsOnSize(600, 9, 600).forEach(loaded);
    Prediction a = original.predict(CALL);
    assertThat(loaded.predict(CALL)).isEqualTo(a);
    assertThat(a.source()).contains(AdaptivePredictor.MODEL);
  }

  @Test
  void saveThenLoad_gradientBoosting_predictsTheSame() throws IOException {
    AdaptivePredictor original = trained(LatencyModelType.GRADIENT_BOOSTING);
    assertThat(original.report().latencyByTool().get("fetch").used()).isTrue();
    original.save(dir);
    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    assertThat(loaded.report()).isEqualTo(original.report());
    Workloads.failureDependsOnSize(600, 8, 0).forEach(loaded);
    Workloads.latencyDependsOnSize(600, 9, 600).forEach(loaded);
    Prediction a = original.predict(CALL);
    assertThat(loaded.predict(CALL)).isEqualTo(a);
    assertThat(a.source()).contains(AdaptivePredictor.MODEL);
  }

  @Test
  void savedFiles_keepTribuoProvenance() {
    trained().save(dir);
    var models = dev.parallax.adaptive.internal.ModelFiles.load(dir);
    assertThat(models.latencyModels()).isNotEmpty();
    assertThat(
            models
                .latencyModels()
                .values()
                .iterator()
                .next()
                .getProvenance()
                .getTrainerProvenance()
                .toString())
        .containsAnyOf("LinearSGDTrainer", "CARTRegressionTrainer");
    assertThat(models.success().getProvenance().getDatasetProvenance().toString())
        .contains("parallax execution records (success)");
  }

  @Test
  void load_corruptModelFile_clearErrorAndBaselineTakesOver() throws IOException {
    AdaptivePredictor predictor = trained();
    predictor.save(dir);
    Path latency = latencyFile();
    Files.write(latency, new byte[] {1, 2, 3, 4, 5, 6, 7});
    // the checksum saved with the models catches it before Tribuo reads the file
    assertThatThrownBy(() -> predictor.load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(latency.getFileName().toString())
        .hasMessageContaining("corrupt or replaced");
    assertThat(predictor.predict(CALL).source()).isEqualTo(AdaptivePredictor.BASELINE);
    assertThat(predictor.report().note()).contains("could not be loaded");
  }

  @Test
  void load_modelOfTheWrongKind_clearError() throws IOException {
    trained().save(dir);
    Path latency = latencyFile();
    Files.copy(dir.resolve("success.tribuo"), latency, StandardCopyOption.REPLACE_EXISTING);
    // a consistent save of the wrong kind: the checksum matches, the kind check must catch it
    setProperty("sha256." + latency.getFileName(), sha256(latency));
    assertThatThrownBy(() -> AdaptivePredictor.builder().build().load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("expected a latency regression");
  }

  @Test
  void deletedModelFile_failsTheLoadClearly_insteadOfLoadingWithoutIt() throws IOException {
    // the bug: a deleted latency.tribuo loaded silently, as if no latency model had been trained
    AdaptivePredictor predictor = trained();
    predictor.save(dir);
    Path latency = latencyFile();
    Files.delete(latency);

    assertThatThrownBy(() -> predictor.load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining(latency.getFileName().toString())
        .hasMessageContaining("missing");
    assertThat(predictor.predict(CALL).source()).isEqualTo(AdaptivePredictor.BASELINE);
  }

  @Test
  void modelFileChangedByOneByte_failsTheChecksum_namingTheFile() throws IOException {
    // the bug: a damaged protobuf that still deserializes loaded silently with other weights
    trained().save(dir);
    Path success = dir.resolve("success.tribuo");
    byte[] bytes = Files.readAllBytes(success);
    bytes[bytes.length / 2] ^= 1;
    Files.write(success, bytes);

    assertThatThrownBy(() -> AdaptivePredictor.builder().build().load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("success.tribuo")
        .hasMessageContaining("changed since it was saved");
  }

  @Test
  void strayModelFile_notSavedWithTheProperties_failsTheLoad() throws IOException {
    trained().save(dir);
    setProperty("sha256.success.tribuo", "absent"); // as if the save had had no success model

    assertThatThrownBy(() -> AdaptivePredictor.builder().build().load(dir))
        .isInstanceOf(ModelFileException.class)
        .hasMessageContaining("success.tribuo")
        .hasMessageContaining("not saved with these properties");
  }

  @Test
  void filesOfFormat1_withoutChecksums_stillLoad() throws IOException {
    // format 1 had one latency model, latency.tribuo, on log latency, used for every tool
    AdaptivePredictor original = trained(LatencyModelType.LINEAR_SGD);
    original.save(dir);
    Properties p = properties();
    p.setProperty("format", "1");
    p.remove("sha256.success.tribuo");
    try (var files = Files.newDirectoryStream(dir, "latency-*.tribuo")) {
      for (Path f : files) {
        p.remove("sha256." + f.getFileName());
        if (Files.exists(dir.resolve("latency.tribuo"))) {
          Files.delete(f);
        } else {
          Files.move(f, dir.resolve("latency.tribuo"));
        }
      }
    }
    storeProperties(p);

    AdaptivePredictor loaded = AdaptivePredictor.builder().build();
    loaded.load(dir);
    assertThat(loaded.report().trainRows()).isEqualTo(original.report().trainRows());
    assertThat(loaded.report().latencyModelUsed()).isTrue();
    Workloads.latencyDependsOnSize(600, 9, 600).forEach(loaded);
    assertThat(loaded.predict(CALL).source()).startsWith(AdaptivePredictor.MODEL);
  }

  /** The one latency model file a save of {@link #trained} wrote. */
  private Path latencyFile() throws IOException {
    try (var files = Files.newDirectoryStream(dir, "latency-*.tribuo")) {
      var list = new java.util.ArrayList<Path>();
      files.forEach(list::add);
      assertThat(list).hasSize(1);
      return list.get(0);
    }
  }

  private Properties properties() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(dir.resolve("parallax-models.properties"))) {
      p.load(in);
    }
    return p;
  }

  private void storeProperties(Properties p) throws IOException {
    try (var out = Files.newOutputStream(dir.resolve("parallax-models.properties"))) {
      p.store(out, null);
    }
  }

  private void setProperty(String key, String value) throws IOException {
    Properties p = properties();
    p.setProperty(key, value);
    storeProperties(p);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
