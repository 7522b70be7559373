package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.analysis.TraceReaders;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowInstancesTest {

  /** Where the generated instances are committed (tests run in the samples module). */
  static final Path COMMITTED = Path.of("..", "examples", "workflows");

  @TempDir Path dir;

  @Test
  void committedInstances_areExactlyWhatTheGeneratorWrites() throws Exception {
    for (Map.Entry<String, ObjectNode> e : WorkflowInstances.standardSet().entrySet()) {
      Path committed = COMMITTED.resolve(e.getKey());
      assertThat(committed).as("regenerate with WorkflowInstances " + COMMITTED).exists();
      assertThat(Files.readString(committed))
          .as(e.getKey())
          .isEqualTo(WorkflowInstances.render(e.getValue()));
    }
  }

  @Test
  void instances_followTheWfFormat15Schema() throws Exception {
    for (ObjectNode instance : WorkflowInstances.standardSet().values()) {
      assertThat(instance.path("schemaVersion").asText()).isEqualTo("1.5");
      assertThat(instance.path("name").asText()).isNotEmpty();
      JsonNode execution = instance.path("workflow").path("execution");
      assertThat(execution.path("makespanInSeconds").isNumber()).isTrue();
      assertThat(execution.path("executedAt").isTextual()).isTrue();
      Set<String> files = new HashSet<>();
      for (JsonNode f : instance.path("workflow").path("specification").path("files")) {
        assertThat(f.path("sizeInBytes").isIntegralNumber()).isTrue();
        files.add(f.path("id").asText());
      }
      JsonNode tasks = instance.path("workflow").path("specification").path("tasks");
      Set<String> ids = new HashSet<>();
      tasks.forEach(t -> ids.add(t.path("id").asText()));
      for (JsonNode t : tasks) {
        for (String field : List.of("name", "id", "parents", "children")) {
          assertThat(t.has(field)).as(field).isTrue();
        }
        t.path("parents").forEach(p -> assertThat(ids).contains(p.asText()));
        t.path("children").forEach(c -> assertThat(ids).contains(c.asText()));
        t.path("inputFiles").forEach(f -> assertThat(files).contains(f.asText()));
        t.path("outputFiles").forEach(f -> assertThat(files).contains(f.asText()));
      }
      for (JsonNode t : execution.path("tasks")) {
        assertThat(ids).contains(t.path("id").asText());
        assertThat(t.path("runtimeInSeconds").isNumber()).isTrue();
      }
      assertThat(execution.path("tasks")).hasSize(tasks.size());
    }
  }

  /** What makes the instances worth learning from: within a program, runtime follows bytes. */
  @Test
  void runtimes_growWithBytesRead_withinEachProgram() throws Exception {
    TracedWorkflow epigenomics =
        TraceReaders.wfFormat()
            .read(
                WorkflowInstances.write(dir).stream()
                    .filter(p -> p.getFileName().toString().startsWith("epigenomics-3x24"))
                    .findFirst()
                    .orElseThrow());
    List<SimulatedCall> maps =
        epigenomics.tasks().stream().filter(t -> t.tool().equals("map")).toList();
    assertThat(maps).hasSize(72);
    double[] x =
        maps.stream().mapToDouble(t -> Math.log(t.features().get("input_bytes"))).toArray();
    double[] y = maps.stream().mapToDouble(t -> Math.log(t.duration().toNanos())).toArray();
    assertThat(correlation(x, y)).isGreaterThan(0.8);
  }

  @Test
  void generation_isReproducible() throws Exception {
    Map<String, ObjectNode> a = WorkflowInstances.standardSet();
    Map<String, ObjectNode> b = WorkflowInstances.standardSet();
    assertThat(a).isEqualTo(b);
  }

  private static double correlation(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }
}
