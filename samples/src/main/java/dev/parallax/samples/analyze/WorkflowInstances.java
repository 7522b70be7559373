package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes synthetic WfFormat 1.5 workflow instances shaped like real scientific workflows — two
 * Montage-like (fan-out/fan-in), two Epigenomics-like (parallel chains) and two BLAST-like
 * (split/merge) — whose task runtimes depend on the bytes each task reads, plus noise, so that a
 * model can learn what a per-program mean cannot. Reproducible: the same files every time.
 *
 * <pre>{@code
 * java -cp samples/target/parallax.jar dev.parallax.samples.analyze.WorkflowInstances examples/workflows
 * }</pre>
 */
public final class WorkflowInstances {

  private WorkflowInstances() {}

  /** The standard set, by file name, in a fixed order. */
  public static Map<String, ObjectNode> standardSet() {
    Map<String, ObjectNode> set = new LinkedHashMap<>();
    set.put("montage-40.json", WorkflowShapes.montage("montage-40", 11, 40));
    set.put("montage-64.json", WorkflowShapes.montage("montage-64", 12, 64));
    set.put("epigenomics-2x16.json", WorkflowShapes.epigenomics("epigenomics-2x16", 21, 2, 16));
    set.put("epigenomics-3x24.json", WorkflowShapes.epigenomics("epigenomics-3x24", 22, 3, 24));
    set.put("blast-80.json", WorkflowShapes.blast("blast-80", 31, 80));
    set.put("blast-160.json", WorkflowShapes.blast("blast-160", 32, 160));
    return set;
  }

  /**
   * Writes the standard set into {@code directory} (created if needed).
   *
   * @return the files written, in order
   * @throws UncheckedIOException if a file cannot be written
   */
  public static List<Path> write(Path directory) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(directory);
      for (Map.Entry<String, ObjectNode> e : standardSet().entrySet()) {
        Path file = directory.resolve(e.getKey());
        Files.writeString(file, render(e.getValue()));
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write workflow instances to " + directory, e);
    }
    return written;
  }

  /** An instance as pretty-printed JSON with a final newline. */
  static String render(ObjectNode instance) throws IOException {
    return JsonReport.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(instance) + "\n";
  }

  /** Writes the standard set into the directory given as the only argument. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: WorkflowInstances DIRECTORY");
      System.exit(2);
    }
    for (Path file : write(Path.of(args[0]))) {
      System.out.println(file);
    }
  }
}
