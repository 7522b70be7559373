package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.analysis.InputAnalysis;
import dev.parallax.analysis.ModelScore;
import dev.parallax.analysis.ToolStats;
import dev.parallax.analysis.TrainingSplit;
import dev.parallax.planner.sim.SimulatedCall;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The analysis as JSON: {@code {"concurrency", "train_on", "inputs": [...]}} with, per input, the
 * contract's fields ({@code file, tasks, recorded_makespan_s, critical_path_s, lower_bound_s,
 * simulated {fifo, learned, oracle}, model {mae_log_latency, baseline_mae_log_latency}}) and more
 * ({@code format, runs, truncated_lines, critical_path_tasks, concurrency, tools, notes}, model
 * details). Times are seconds; a figure that is unknown (no recorded makespan, nothing scored) is
 * {@code null}. Stateless.
 */
final class JsonReport {

  /** Writes the reports and the synthetic instances. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonReport() {}

  /** The report of {@code analyses}. */
  static ObjectNode of(List<InputAnalysis> analyses, int slots, TrainingSplit split) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("concurrency", slots);
    root.put("train_on", split.label());
    ArrayNode inputs = root.putArray("inputs");
    for (InputAnalysis a : analyses) {
      inputs.add(input(a));
    }
    return root;
  }

  /**
   * Writes {@code report} to {@code file}, pretty-printed.
   *
   * @throws IOException if it cannot be written
   */
  static void write(ObjectNode report, Path file) throws IOException {
    MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), report);
  }

  private static ObjectNode input(InputAnalysis a) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("file", a.input().file());
    o.put("format", a.input().format().label());
    o.put("runs", a.input().runs().size());
    o.put("tasks", a.input().size());
    o.put("truncated_lines", a.input().truncatedLines());
    putSeconds(o, "recorded_makespan_s", a.recordedMakespan());
    putSeconds(o, "critical_path_s", a.criticalPathLength());
    ArrayNode path = o.putArray("critical_path_tasks");
    a.criticalPath().stream().map(SimulatedCall::id).forEach(path::add);
    putSeconds(o, "lower_bound_s", a.lowerBound());
    o.put("concurrency", a.slots());
    ObjectNode simulated = o.putObject("simulated");
    putSeconds(simulated, "fifo", a.simulated().fifo());
    putSeconds(simulated, "learned", a.simulated().learned());
    putSeconds(simulated, "oracle", a.simulated().oracle());
    ObjectNode model = o.putObject("model");
    ModelScore m = a.model();
    putNumber(model, "mae_log_latency", m.maeLogLatency());
    putNumber(model, "baseline_mae_log_latency", m.baselineMaeLogLatency());
    model.put("training_tasks", m.trainingTasks());
    model.put("scored_tasks", m.scoredTasks());
    putNumber(model, "answered_by_model", m.answeredByModel());
    model.put("note", m.note());
    ArrayNode tools = o.putArray("tools");
    for (ToolStats t : a.tools()) {
      ObjectNode tool = tools.addObject();
      tool.put("tool", t.tool());
      tool.put("count", t.count());
      putNumber(tool, "mean_s", t.meanSeconds());
      putNumber(tool, "p50_s", t.p50Seconds());
      putNumber(tool, "p95_s", t.p95Seconds());
      putNumber(tool, "max_s", t.maxSeconds());
      putNumber(tool, "success_rate", t.successRate());
    }
    ArrayNode notes = o.putArray("notes");
    a.input().notes().forEach(notes::add);
    return o;
  }

  private static void putSeconds(ObjectNode o, String field, @Nullable Duration d) {
    if (d == null) {
      o.putNull(field);
    } else {
      o.put(field, Figures.seconds(d));
    }
  }

  /** Rounded to 6 decimals; {@code null} for NaN. */
  private static void putNumber(ObjectNode o, String field, double value) {
    if (Double.isFinite(value)) {
      o.put(field, Math.round(value * 1e6) / 1e6);
    } else {
      o.putNull(field);
    }
  }
}
