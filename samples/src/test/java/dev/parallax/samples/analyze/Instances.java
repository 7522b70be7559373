package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small hand-written WfFormat instances for tests. */
final class Instances {

  private Instances() {}

  /**
   * A 1.5 instance: {@code tasks} rows of {@code id, program, runtime (or null), parents...}.
   * Runtimes in seconds; every task reads 1 MB.
   */
  static ObjectNode wf15(Object[]... tasks) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("name", "test").put("schemaVersion", "1.5");
    ObjectNode workflow = root.putObject("workflow");
    ArrayNode spec = workflow.putObject("specification").putArray("tasks");
    ObjectNode execution = workflow.putObject("execution");
    execution.put("executedAt", "2025-01-01T00:00:00Z");
    ArrayNode exec = execution.putArray("tasks");
    for (Object[] t : tasks) {
      ObjectNode s = spec.addObject();
      s.put("name", (String) t[0]).put("id", (String) t[0]);
      ArrayNode parents = s.putArray("parents");
      for (int i = 3; i < t.length; i++) {
        parents.add((String) t[i]);
      }
      s.putArray("children");
      ObjectNode e = exec.addObject();
      e.put("id", (String) t[0]);
      if (t[2] != null) {
        e.put("runtimeInSeconds", ((Number) t[2]).doubleValue());
      }
      e.putObject("command").put("program", (String) t[1]);
      e.put("readBytes", 1_000_000);
    }
    return root;
  }

  /** Writes {@code json} (or a raw string) to {@code dir/name}. */
  static Path write(Path dir, String name, Object json) {
    try {
      Path file = dir.resolve(name);
      String text =
          json instanceof String s
              ? s
              : JsonReport.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The standard synthetic set written into {@code dir}, as command-line arguments. */
  static List<String> standardSet(Path dir) {
    return WorkflowInstances.write(dir).stream().map(Path::toString).toList();
  }
}
