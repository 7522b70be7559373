package dev.parallax.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.analysis.InputFormat;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WfFormatReaderTest {

  @TempDir Path dir;

  private static final String V15 =
      """
      {"name": "tiny", "schemaVersion": "1.5",
       "workflow": {
        "specification": {
         "tasks": [
          {"name": "split_00000001", "id": "split_00000001", "parents": [],
           "children": ["work_00000002", "work_00000003"],
           "inputFiles": ["in.txt"], "outputFiles": ["p1", "p2"]},
          {"name": "work_00000002", "id": "work_00000002", "parents": [], "children": [],
           "inputFiles": ["p1"], "outputFiles": ["o1"]},
          {"name": "work_00000003", "id": "work_00000003", "parents": ["split_00000001"],
           "children": [], "inputFiles": ["p2"], "outputFiles": []},
          {"name": "merge_00000004", "id": "merge_00000004",
           "parents": ["work_00000002", "work_00000003"], "children": []}
         ],
         "files": [{"id": "in.txt", "sizeInBytes": 3000}, {"id": "p1", "sizeInBytes": 1000},
                   {"id": "p2", "sizeInBytes": 2000}, {"id": "o1", "sizeInBytes": 10}]
        },
        "execution": {
         "makespanInSeconds": 12.5, "executedAt": "2025-01-01T00:00:00Z",
         "tasks": [
          {"id": "split_00000001", "runtimeInSeconds": 1.5, "command": {"program": "split"},
           "readBytes": 3100, "writtenBytes": 3000, "coreCount": 2},
          {"id": "work_00000002", "runtimeInSeconds": 4},
          {"id": "work_00000003", "runtimeInSeconds": "6.25", "command": {"program": "work"}},
          {"id": "merge_00000004", "runtimeInSeconds": 0}
         ]
        }
       }
      }
      """;

  @Test
  void schema15_readsTasksRuntimesFeaturesAndTheUnionOfParentsAndChildren() {
    TracedWorkflow w = WfFormatReader.read(write(dir, "tiny.json", V15));
    assertThat(w.format()).isEqualTo(InputFormat.WFFORMAT);
    assertThat(w.runs()).hasSize(1);
    Map<String, SimulatedCall> tasks = byId(w);
    SimulatedCall split = tasks.get("split_00000001");
    assertThat(split.tool()).isEqualTo("split");
    assertThat(split.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(split.features())
        .containsEntry("read_bytes", 3100.0)
        .containsEntry("written_bytes", 3000.0)
        .containsEntry("cores", 2.0)
        .containsEntry("input_bytes", 3000.0)
        .containsEntry("output_bytes", 3000.0)
        .containsEntry("input_files", 1.0)
        .containsEntry("output_files", 2.0)
        .containsEntry("children", 2.0)
        .containsEntry("parents", 0.0);
    // work_00000002 lists no parent, but split lists it as a child
    assertThat(tasks.get("work_00000002").dependsOn()).containsExactly("split_00000001");
    assertThat(tasks.get("work_00000002").tool()).isEqualTo("work"); // from the name
    assertThat(tasks.get("work_00000003").duration()).isEqualTo(Duration.ofMillis(6250));
    assertThat(tasks.get("merge_00000004").dependsOn())
        .containsExactly("work_00000002", "work_00000003");
    assertThat(w.recordedMakespan()).isEqualTo(Duration.ofMillis(12_500));
    assertThat(w.runs().getFirst().criticalPath()).isEqualTo(Duration.ofMillis(7750));
  }

  @Test
  void schema15_withoutMakespan_takesItFromTheTaskStartTimes() {
    String noMakespan =
        V15.replace("\"makespanInSeconds\": 12.5,", "")
            .replace(
                "\"runtimeInSeconds\": 1.5,",
                "\"runtimeInSeconds\": 1.5, \"executedAt\": \"2025-01-01T00:00:00Z\",")
            .replace(
                "\"runtimeInSeconds\": 4}",
                "\"runtimeInSeconds\": 4, \"executedAt\": \"2025-01-01T00:00:02+00:00\"}")
            .replace(
                "\"runtimeInSeconds\": \"6.25\",",
                "\"runtimeInSeconds\": \"6.25\", \"executedAt\": \"2025-01-01T00:00:02\",")
            .replace(
                "\"runtimeInSeconds\": 0}",
                "\"runtimeInSeconds\": 0, \"executedAt\": \"2025-01-01T00:00:09.5Z\"}");
    TracedWorkflow w = WfFormatReader.read(write(dir, "tiny.json", noMakespan));
    assertThat(w.recordedMakespan()).isEqualTo(Duration.ofMillis(9500));
  }

  @Test
  void unreadableTimestamps_leaveTheRecordedMakespanUnknown() {
    String odd =
        V15.replace("\"makespanInSeconds\": 12.5,", "")
            .replace(
                "\"runtimeInSeconds\": 1.5,",
                "\"runtimeInSeconds\": 1.5, \"executedAt\": \"05-10-23T16:23:32Z\",");
    TracedWorkflow w = WfFormatReader.read(write(dir, "tiny.json", odd));
    assertThat(w.recordedMakespan()).isNull();
  }

  @Test
  void schema14_readsTasksWithFilesAndParentsByName() {
    String v14 =
        """
        {"name": "old", "schemaVersion": "1.4",
         "workflow": {"makespanInSeconds": 30, "executedAt": "2020-01-01T00:00:00Z",
          "tasks": [
           {"name": "individuals_ID0000001", "id": "ID0000001", "category": "individuals",
            "type": "compute", "parents": [], "children": ["sifting_ID0000002"],
            "runtimeInSeconds": 10, "readBytes": 500, "writtenBytes": 200, "cores": 1,
            "files": [{"name": "chr1.txt", "sizeInBytes": 400, "link": "input"},
                      {"name": "chr1.out", "sizeInBytes": 200, "link": "output"}]},
           {"name": "sifting_ID0000002", "id": "ID0000002", "parents": ["ID0000001"],
            "children": [], "runtime": 5, "command": {"program": "sifting"},
            "files": [{"name": "chr1.out", "size": 200, "link": "input"}]}
          ]}}
        """;
    TracedWorkflow w = WfFormatReader.read(write(dir, "old.json", v14));
    Map<String, SimulatedCall> tasks = byId(w);
    assertThat(tasks).containsOnlyKeys("individuals_ID0000001", "sifting_ID0000002");
    SimulatedCall first = tasks.get("individuals_ID0000001");
    assertThat(first.tool()).isEqualTo("individuals");
    assertThat(first.duration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(first.features())
        .containsEntry("read_bytes", 500.0)
        .containsEntry("input_bytes", 400.0)
        .containsEntry("output_bytes", 200.0);
    SimulatedCall second = tasks.get("sifting_ID0000002");
    assertThat(second.dependsOn()).containsExactly("individuals_ID0000001");
    assertThat(second.duration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(second.features()).containsEntry("input_bytes", 200.0);
    assertThat(w.recordedMakespan()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void machines_becomeOneHotMachineFeatures_inEveryShape() {
    String v15 =
        V15.replace("\"readBytes\": 3100,", "\"machines\": [\"worker-4\"], \"readBytes\": 3100,")
            .replace(
                "{\"id\": \"work_00000002\", \"runtimeInSeconds\": 4}",
                "{\"id\": \"work_00000002\", \"runtimeInSeconds\": 4,"
                    + " \"machines\": [\"w1\", \"w2\"]}");
    Map<String, SimulatedCall> tasks = byId(WfFormatReader.read(write(dir, "m.json", v15)));
    assertThat(tasks.get("split_00000001").features())
        .containsEntry("machine=worker-4", 1.0)
        .containsEntry("read_bytes", 3100.0);
    assertThat(tasks.get("work_00000002").features())
        .containsEntry("machine=w1", 1.0)
        .containsEntry("machine=w2", 1.0);
    assertThat(tasks.get("merge_00000004").features().keySet())
        .noneMatch(k -> k.startsWith("machine="));

    String legacy =
        """
        {"workflow": {"tasks": [
          {"name": "a_1", "runtime": 1, "machine": "node-7"},
          {"name": "b_2", "runtime": 2, "machine": {"nodeName": "node-8"}}]}}
        """;
    Map<String, SimulatedCall> old = byId(WfFormatReader.read(write(dir, "l.json", legacy)));
    assertThat(old.get("a_1").features()).containsEntry("machine=node-7", 1.0);
    assertThat(old.get("b_2").features()).containsEntry("machine=node-8", 1.0);
  }

  @Test
  void toolOfName_dropsTrailingNumbers() {
    assertThat(WfFormatReader.toolOfName("mProject_00000012")).isEqualTo("mProject");
    assertThat(WfFormatReader.toolOfName("individuals_ID0000001")).isEqualTo("individuals");
    assertThat(WfFormatReader.toolOfName("cpuhog_chain_00000001")).isEqualTo("cpuhog_chain");
    assertThat(WfFormatReader.toolOfName("12345")).isEqualTo("12345");
    assertThat(WfFormatReader.toolOfName("merge")).isEqualTo("merge");
  }

  private static Path write(Path dir, String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, SimulatedCall> byId(TracedWorkflow w) {
    return w.tasks().stream().collect(Collectors.toMap(SimulatedCall::id, Function.identity()));
  }
}
