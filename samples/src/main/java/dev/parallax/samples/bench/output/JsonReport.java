package dev.parallax.samples.bench.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.samples.bench.model.BenchReport;
import dev.parallax.samples.bench.model.Machine;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link BenchReport}:
 *
 * <pre>{@code
 * {"seed": 42, "quick": false, "cores": 2, "java_version": "25+36", "machine": {...},
 *  "elapsed_s": {"overhead": 3.1, ...},
 *  "workloads": {"<workload>": {"policies": {"<policy>": {"makespan_ms": ..., "lower_bound_ms": ...,
 *    "success_rate": ..., "p95_ms": ..., "tool_executions": ..., "cache_hits": ...,
 *    "throughput_per_s": ...}}, "<field>": ...}}}
 * }</pre>
 *
 * <p>Every policy has all seven figures; a figure the workload does not measure is {@code null}, as
 * is any value that is not a finite number.
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The report as a JSON tree. */
  public static ObjectNode toJson(BenchReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("seed", report.seed());
    root.put("quick", report.quick());
    Machine m = report.machine();
    root.put("cores", m.cores());
    root.put("java_version", m.javaVersion());
    ObjectNode machine = root.putObject("machine");
    machine.put("cores", m.cores());
    machine.put("java_version", m.javaVersion());
    machine.put("vm", m.vm());
    machine.put("os", m.os());
    machine.put("arch", m.arch());
    machine.put("max_heap_mb", m.maxHeapMb());
    ObjectNode elapsed = root.putObject("elapsed_s");
    report.elapsedSeconds().forEach((name, seconds) -> elapsed.set(name, number(seconds)));
    ObjectNode workloads = root.putObject("workloads");
    for (WorkloadResult result : report.workloads().values()) {
      workloads.set(result.name(), workload(result));
    }
    return root;
  }

  /** Writes the report to {@code file}, replacing it. */
  public static void write(BenchReport report, Path file) {
    try {
      Files.writeString(file, MAPPER.writeValueAsString(toJson(report)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static ObjectNode workload(WorkloadResult result) {
    ObjectNode node = MAPPER.createObjectNode();
    ObjectNode policies = node.putObject("policies");
    result.policies().forEach((name, figures) -> policies.set(name, policy(figures)));
    for (Map.Entry<String, Object> field : result.fields().entrySet()) {
      node.set(field.getKey(), finite(MAPPER.valueToTree(field.getValue())));
    }
    return node;
  }

  private static ObjectNode policy(PolicyFigures f) {
    ObjectNode node = MAPPER.createObjectNode();
    node.set("makespan_ms", number(f.makespanMs()));
    node.set("lower_bound_ms", number(f.lowerBoundMs()));
    node.set("success_rate", number(f.successRate()));
    node.set("p95_ms", number(f.p95Ms()));
    node.set("tool_executions", count(f.toolExecutions()));
    node.set("cache_hits", count(f.cacheHits()));
    node.set("throughput_per_s", number(f.throughputPerS()));
    return node;
  }

  private static JsonNode number(@Nullable Double value) {
    return value == null || !Double.isFinite(value)
        ? NullNode.getInstance()
        : MAPPER.getNodeFactory().numberNode(value);
  }

  private static JsonNode count(@Nullable Long value) {
    return value == null ? NullNode.getInstance() : MAPPER.getNodeFactory().numberNode(value);
  }

  /** Replaces every non-finite number in the tree by {@code null}. */
  private static JsonNode finite(JsonNode node) {
    if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
      return NullNode.getInstance();
    }
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        e.setValue(finite(e.getValue()));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, finite(array.get(i)));
      }
    }
    return node;
  }
}
