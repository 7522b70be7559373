package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command on the synthetic instances: its text, its JSON contract and its HTML page. */
class AnalyzeCommandTest {

  @TempDir static Path dir;
  static List<String> instances;
  static Cli result;
  static JsonNode json;

  @BeforeAll
  static void analyzeTheStandardSet() throws Exception {
    instances = Instances.standardSet(dir);
    List<String> args = new ArrayList<>(List.of("analyze"));
    args.addAll(instances);
    args.addAll(
        List.of(
            "--concurrency",
            "8",
            "--json",
            dir.resolve("out.json").toString(),
            "--html",
            dir.resolve("out.html").toString()));
    result = Cli.run(args.toArray(String[]::new));
    json = JsonReport.MAPPER.readTree(dir.resolve("out.json").toFile());
  }

  @Test
  void analyze_succeeds_withTheReportOnStdoutAndNothingOnStderr() {
    assertThat(result.status()).as(result.err()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(result.out())
        .contains("montage-40.json  (wfformat, 1 run, 144 tasks)")
        .contains("mProject")
        .contains("recorded makespan")
        .contains("critical path")
        .contains("lower bound @8")
        .contains("simulated @8")
        .contains("MAE of log latency")
        .contains("JSON written to")
        .contains("HTML written to");
  }

  @Test
  void json_followsTheContract_oneEntryPerInputWithEveryField() throws Exception {
    assertThat(json.path("concurrency").asInt()).isEqualTo(8);
    JsonNode inputs = json.path("inputs");
    assertThat(inputs.isArray()).isTrue();
    assertThat(inputs).hasSize(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      JsonNode in = inputs.get(i);
      assertThat(in.path("file").asText()).isEqualTo(instances.get(i));
      for (String field :
          List.of("tasks", "recorded_makespan_s", "critical_path_s", "lower_bound_s")) {
        assertThat(in.path(field).isNumber()).as(field).isTrue();
      }
      for (String policy : List.of("fifo", "learned", "oracle")) {
        assertThat(in.path("simulated").path(policy).isNumber()).as(policy).isTrue();
      }
      assertThat(in.path("model").path("mae_log_latency").isNumber()).isTrue();
      assertThat(in.path("model").path("baseline_mae_log_latency").isNumber()).isTrue();
      JsonNode instance = JsonReport.MAPPER.readTree(Path.of(instances.get(i)).toFile());
      assertThat(in.path("tasks").asInt())
          .isEqualTo(instance.path("workflow").path("specification").path("tasks").size());
      assertThat(in.path("recorded_makespan_s").asDouble())
          .isEqualTo(
              instance.path("workflow").path("execution").path("makespanInSeconds").asDouble());
    }
  }

  @Test
  void json_figuresAreConsistent_boundsHoldForEverySchedule() {
    for (JsonNode in : json.path("inputs")) {
      double path = in.path("critical_path_s").asDouble();
      double bound = in.path("lower_bound_s").asDouble();
      assertThat(bound).isGreaterThanOrEqualTo(path);
      double totalWork = 0;
      for (JsonNode tool : in.path("tools")) {
        totalWork += tool.path("mean_s").asDouble() * tool.path("count").asInt();
      }
      assertThat(bound).isGreaterThanOrEqualTo(totalWork / 8 - 1e-3);
      for (String policy : List.of("fifo", "learned", "oracle")) {
        assertThat(in.path("simulated").path(policy).asDouble())
            .as(in.path("file").asText() + " " + policy)
            .isGreaterThanOrEqualTo(bound - 1e-6);
      }
      double sum = 0;
      List<String> pathTasks = new ArrayList<>();
      in.path("critical_path_tasks").forEach(t -> pathTasks.add(t.asText()));
      assertThat(pathTasks).isNotEmpty();
      int count = 0;
      for (JsonNode tool : in.path("tools")) {
        count += tool.path("count").asInt();
        sum += tool.path("success_rate").asDouble();
      }
      assertThat(count).isEqualTo(in.path("tasks").asInt());
      assertThat(sum).isEqualTo(in.path("tools").size()); // WfFormat records no failures
    }
  }

  /**
   * The synthetic runtimes depend on the bytes each task reads, but each instance scores only a
   * fifth of its tasks: too few for the gate to trust a model (it needs 30 held-out rows per tool
   * and a confident gain), so where the model does not answer the report must say why, and the
   * per-tool moving average that answers instead must not be worse than the per-tool mean. Where
   * the model answers, it must beat the mean. Learned priority must not lose to FIFO over the set.
   */
  @Test
  void model_answersOnlyWhereTheGateTrustsIt_andLearnedPriorityDoesNotLoseToFifo() {
    double fifo = 0;
    double learned = 0;
    for (JsonNode in : json.path("inputs")) {
      JsonNode model = in.path("model");
      String file = in.path("file").asText();
      double mae = model.path("mae_log_latency").asDouble();
      double mean = model.path("baseline_mae_log_latency").asDouble();
      double answered = model.path("answered_by_model").asDouble();
      assertThat(answered).as(file).isBetween(0.0, 1.0);
      if (answered == 0) {
        assertThat(model.path("note").asText()).as(file).isNotBlank();
        assertThat(mae).as(file).isLessThanOrEqualTo(1.05 * mean);
      } else {
        assertThat(mae).as(file).isLessThan(mean);
      }
      assertThat(model.path("scored_tasks").asInt())
          .isEqualTo(in.path("tasks").asInt() / 5); // every 5th task
      fifo += in.path("simulated").path("fifo").asDouble();
      learned += in.path("simulated").path("learned").asDouble();
    }
    assertThat(learned).isLessThanOrEqualTo(fifo);
  }

  @Test
  void html_isOneSelfContainedPage_withBarsPathAndToolsPerInput() throws Exception {
    String html = Files.readString(dir.resolve("out.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=");
    assertThat(html.split("<section>", -1)).hasSize(instances.size() + 1);
    assertThat(html)
        .contains("<svg")
        .contains(">fifo<")
        .contains(">learned<")
        .contains(">oracle<")
        .contains(">lower bound<")
        .contains("Critical path:")
        .contains("<td>mProject</td>");
    // the only URL is the SVG namespace
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http");
  }

  @Test
  void help_saysHowTheModelLearns() {
    Cli help = Cli.run("analyze", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("Usage: parallax analyze")
        .contains("--train-on")
        .contains("four of every five tasks of this input")
        .contains("--concurrency")
        .contains("--format")
        .contains("--json")
        .contains("--html");
  }

  @Test
  void rootHelp_listsAnalyze() {
    Cli help = Cli.run("--help");
    assertThat(help.out()).contains("analyze").contains("demo");
  }
}
