package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code parallax analyze --loio} and the feature flag, on committed real SRA-search instances. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AnalyzeLoioTest {

  static final Path REAL = Path.of("..", "examples", "workflows", "real", "srasearch");

  @TempDir static Path dir;
  static Path sra;
  static Path other;

  @BeforeAll
  static void copyInstances() throws IOException {
    sra = Files.createDirectories(dir.resolve("sra"));
    other = Files.createDirectories(dir.resolve("other"));
    for (int i = 1; i <= 3; i++) {
      String name = "srasearch-chameleon-10a-00" + i + ".json";
      Files.copy(REAL.resolve(name), sra.resolve(name));
    }
    for (int i = 4; i <= 5; i++) {
      String name = "srasearch-chameleon-10a-00" + i + ".json";
      Files.copy(REAL.resolve(name), other.resolve(name));
    }
  }

  @Test
  void loio_directoriesAndLooseFiles_areApplications_withTextAndJson() throws IOException {
    Path json = dir.resolve("loio.json");
    Cli r =
        Cli.run(
            "analyze",
            "--loio",
            sra.toString(),
            other.resolve("srasearch-chameleon-10a-004.json").toString(),
            other.resolve("srasearch-chameleon-10a-005.json").toString(),
            "--json",
            json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("features: only features known before a task starts")
        .contains("sra: leave-one-instance-out over 3 instances, 66 tasks scored")
        .contains("other: leave-one-instance-out over 2 instances, 44 tasks scored")
        .contains("srasearch-chameleon-10a-002.json")
        .contains("learned-priority makespan")
        .contains("x FIFO at 4 slots")
        .contains("fifo/lb")
        .contains("makespan lower bound: FIFO ")
        .contains("JSON written to");

    JsonNode root = JsonReport.MAPPER.readTree(json.toFile());
    assertThat(root.path("mode").asText()).isEqualTo("loio");
    assertThat(root.path("features").asText()).isEqualTo("pre-call");
    assertThat(root.path("post_hoc_features")).isEmpty();
    assertThat(root.path("concurrency").asInt()).isEqualTo(4);
    JsonNode apps = root.path("applications");
    assertThat(apps).hasSize(2);
    assertThat(apps.get(0).path("application").asText()).isEqualTo("sra");
    assertThat(apps.get(0).path("instances")).hasSize(3);
    for (JsonNode in : apps.get(0).path("instances")) {
      assertThat(in.path("rows").asInt()).isEqualTo(22);
      assertThat(in.path("training_tasks").asInt()).isEqualTo(44);
      assertThat(in.path("mae_log_latency").path("model").isNumber()).isTrue();
      assertThat(in.path("mae_log_latency").path("per_tool_mean").isNumber()).isTrue();
      assertThat(in.path("ratio_interval")).hasSize(2);
      assertThat(in.path("simulated_s").path("fifo").isNumber()).isTrue();
      JsonNode bound = in.path("makespan_lower_bound_s");
      for (String field : List.of("value", "critical_path", "work_per_slot")) {
        assertThat(bound.path(field).isNumber()).as(field).isTrue();
      }
      assertThat(in.path("simulated_s").path("fifo").asDouble())
          .isGreaterThanOrEqualTo(bound.path("value").asDouble());
      assertThat(in.path("makespan_fifo_over_lower_bound").asDouble()).isGreaterThanOrEqualTo(1);
      assertThat(in.path("makespan_goal_attainable").isBoolean()).isTrue();
      assertThat(in.path("simulated_s").path("best_known").asDouble())
          .isGreaterThanOrEqualTo(bound.path("value").asDouble());
    }
    JsonNode avg = apps.get(1).path("average");
    assertThat(avg.path("rows").asInt()).isEqualTo(44);
    for (String field :
        List.of(
            "ratio",
            "model_used_share",
            "makespan_learned_over_fifo",
            "worse_beyond_interval",
            "makespan_best_known_over_fifo",
            "makespan_fifo_over_lower_bound",
            "makespan_lower_bound_over_fifo",
            "makespan_goal_unattainable_instances")) {
      assertThat(avg.path(field).isNumber()).as(field).isTrue();
    }
  }

  @Test
  void postHocFeatures_areLabelled_inTheTextAndTheJson() throws IOException {
    Path json = dir.resolve("posthoc.json");
    Cli r =
        Cli.run(
            "analyze", "--loio", "--post-hoc-features", sra.toString(), "--json", json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("features: ALL features, including POST-HOC ones");
    JsonNode root = JsonReport.MAPPER.readTree(json.toFile());
    assertThat(root.path("features").asText()).isEqualTo("all");
    assertThat(root.path("post_hoc_features").toString())
        .contains("written_bytes")
        .contains("output_bytes");
  }

  @Test
  void plainAnalyze_saysWhichFeaturesTheModelUsed() throws IOException {
    Path file = sra.resolve("srasearch-chameleon-10a-001.json");
    Path json = dir.resolve("plain.json");
    Cli preCall = Cli.run("analyze", file.toString(), "--json", json.toString());
    assertThat(preCall.status()).as(preCall.err()).isZero();
    assertThat(preCall.out()).startsWith("features: only features known before a task starts");
    assertThat(JsonReport.MAPPER.readTree(json.toFile()).path("features").asText())
        .isEqualTo("pre-call");
    Path html = dir.resolve("posthoc.html");
    Cli all = Cli.run("analyze", "--post-hoc-features", file.toString(), "--html", html.toString());
    assertThat(all.status()).as(all.err()).isZero();
    assertThat(all.out()).startsWith("features: ALL features, including POST-HOC ones");
    assertThat(Files.readString(html))
        .contains("<p>Model features: ALL features, including POST-HOC");
  }

  @Test
  void loio_badUse_exits2WithOneLine() {
    Cli one =
        Cli.run("analyze", "--loio", sra.resolve("srasearch-chameleon-10a-001.json").toString());
    assertThat(one.status()).isEqualTo(2);
    assertThat(one.err()).contains("at least two instances of sra");
    Cli html =
        Cli.run("analyze", "--loio", sra.toString(), "--html", dir.resolve("x.html").toString());
    assertThat(html.status()).isEqualTo(2);
    assertThat(html.err()).contains("--loio cannot be combined with --html");
    Cli model = Cli.run("analyze", "--loio", sra.toString(), "--latency-model", "nope");
    assertThat(model.status()).isEqualTo(2);
    assertThat(model.err()).contains("unknown value 'nope' for --latency-model").contains("CART");
    Cli noLoio =
        Cli.run(
            "analyze",
            "--latency-model",
            "cart",
            sra.resolve("srasearch-chameleon-10a-001.json").toString());
    assertThat(noLoio.status()).isEqualTo(2);
    assertThat(noLoio.err()).contains("--latency-model is available only with --loio");
  }

  @Test
  void loio_neighboursStore_printsAndWritesTheThreeSourcesOfNeighbours() throws IOException {
    Path json = dir.resolve("neighbours.json");
    Cli r =
        Cli.run(
            "analyze",
            "--loio",
            sra.toString(),
            "--neighbours",
            "store",
            "--json",
            json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("k=5 nearest neighbours, no gate")
        .contains("store (Lucene, all training tasks)")
        .contains("in memory (newest 512 per tool)")
        .contains("neighbours, averaged over applications");
    JsonNode avg =
        JsonReport.MAPPER.readTree(json.toFile()).path("applications").path(0).path("average");
    JsonNode store = avg.path("neighbours").path("store");
    assertThat(avg.path("neighbours").path("k").asInt()).isEqualTo(5);
    assertThat(store.path("ratio").isNumber()).isTrue();
    // 3 held-out instances, each trained on the other two (44 tasks)
    assertThat(store.path("training_rows").asLong()).isEqualTo(3 * 44);
    assertThat(store.path("ratio_interval")).hasSize(2);
  }

  @Test
  void neighbours_badUse_exits2WithOneLine() {
    Cli value = Cli.run("analyze", "--loio", sra.toString(), "--neighbours", "chroma");
    assertThat(value.status()).isEqualTo(2);
    assertThat(value.err()).contains("unknown value 'chroma' for --neighbours: expected store");
    Cli k =
        Cli.run(
            "analyze", "--loio", sra.toString(), "--neighbours", "store", "--neighbours-k", "0");
    assertThat(k.status()).isEqualTo(2);
    assertThat(k.err()).contains("--neighbours-k must be in [1, 1000], was 0");
    Cli noLoio =
        Cli.run(
            "analyze",
            "--neighbours",
            "store",
            sra.resolve("srasearch-chameleon-10a-001.json").toString());
    assertThat(noLoio.status()).isEqualTo(2);
    assertThat(noLoio.err()).contains("--neighbours are available only with --loio");
  }
}
