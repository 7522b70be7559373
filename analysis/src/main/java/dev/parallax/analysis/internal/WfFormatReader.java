package dev.parallax.analysis.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.analysis.AnalysisException;
import dev.parallax.analysis.InputFormat;
import dev.parallax.analysis.TracedWorkflow;
import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/*
 * WfFormat (github.com/wfcommons/WfFormat, wfcommons-schema.json) in the two shapes found in the
 * wild:
 *
 *   1.5 (and 1.6, which adds only metrics): workflow.specification.tasks[] with id, name, parents,
 *   children, inputFiles, outputFiles; workflow.specification.files[] with id and sizeInBytes;
 *   workflow.execution with makespanInSeconds, executedAt and tasks[] with id, runtimeInSeconds,
 *   executedAt, command.program, coreCount, readBytes, writtenBytes...
 *
 *   1.4 and older: workflow.tasks[] (1.2: workflow.jobs[]) carrying everything at once: name, id,
 *   category, parents and children (by name), runtimeInSeconds (or runtime), command.program,
 *   cores, readBytes/bytesRead, writtenBytes/bytesWritten, files[] with name, sizeInBytes (or size)
 *   and link (input or output); workflow.makespanInSeconds (or makespan), workflow.executedAt.
 *
 * A task's tool is its command's program, else its 1.4 category, else its name without a trailing
 * number ("mProject_00000012" -> "mProject"). Dependencies are the union of the parents a task
 * lists and the tasks that list it as a child. Timestamps the JDK cannot parse are ignored.
 *
 * Features per task. Known before it starts: input_files, input_bytes (their total size),
 * input_bytes_min and input_bytes_max (the smallest and largest input of known size: a small
 * per-task chunk next to a shared multi-gigabyte database vanishes in the total), output_files
 * (declared), parents, children, cores, arguments (how many) and arg_N (the N-th command-line
 * argument when it is a plain number), machine=NODE (1 for the machine the task ran on, one-hot: see
 * Categories; the workflow's scheduler places a task on a machine before it starts, so it is known
 * at dispatch, though not when the task is submitted). Measured as it runs (post-hoc, see FeatureSet): read_bytes,
 * written_bytes, output_bytes.
 */
/**
 * Reads a WfFormat workflow instance into a {@link TracedWorkflow}. Stateless and thread-safe.
 * Internal; may change at any time.
 */
public final class WfFormatReader {

  /** Arguments looked at for numbers: the first ones. */
  private static final int MAX_NUMERIC_ARGUMENTS = 12;

  private static final Pattern NUMBER =
      Pattern.compile("[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

  private WfFormatReader() {}

  /**
   * Reads the instance in {@code file}.
   *
   * @throws AnalysisException if it is not readable, not WfFormat, has a task without a runtime, an
   *     unknown dependency or a cycle
   */
  public static TracedWorkflow read(Path file) {
    return read(file, JsonFiles.firstValue(file));
  }

  /** Reads the instance whose JSON, already parsed from {@code file}, is {@code root}. */
  public static TracedWorkflow read(Path file, JsonNode root) {
    JsonNode workflow = root.path("workflow");
    if (!workflow.isObject()) {
      throw new AnalysisException(file + ": not a WfFormat instance: no 'workflow' object");
    }
    List<WfTask> tasks;
    @Nullable Double makespan;
    ToolNames names = new ToolNames();
    if (workflow.has("specification")) {
      tasks = readSpecification(file, workflow, names);
      makespan = Json.number(workflow.path("execution").path("makespanInSeconds"));
    } else if (workflow.has("tasks") || workflow.has("jobs")) {
      tasks = readLegacy(file, workflow, names);
      makespan = Json.number(workflow.path("makespanInSeconds"));
      if (makespan == null) {
        makespan = Json.number(workflow.path("makespan"));
      }
    } else {
      throw new AnalysisException(
          file + ": not a WfFormat instance: 'workflow' has neither 'specification' nor 'tasks'");
    }
    Workload workload = workload(file, root, tasks);
    Duration recorded =
        makespan != null && makespan > 0 ? Json.seconds(makespan) : spanOfStarts(tasks);
    String note = names.note();
    return TracedWorkflow.builder(file.toString(), InputFormat.WFFORMAT)
        .runs(List.of(workload))
        .recordedMakespan(recorded)
        .notes(note == null ? List.of() : List.of(note))
        .build();
  }

  // ------------------------------------------------------------------ 1.5

  private static List<WfTask> readSpecification(Path file, JsonNode workflow, ToolNames names) {
    JsonNode specTasks = workflow.path("specification").path("tasks");
    if (!specTasks.isArray() || specTasks.isEmpty()) {
      throw new AnalysisException(file + ": workflow.specification.tasks is missing or empty");
    }
    Map<String, Double> sizes = new HashMap<>();
    for (JsonNode f : workflow.path("specification").path("files")) {
      Double size = Json.number(f.path("sizeInBytes"));
      if (f.path("id").isTextual() && size != null) {
        sizes.put(f.path("id").asText(), size);
      }
    }
    JsonNode execution = workflow.path("execution");
    Map<String, JsonNode> executed = new HashMap<>();
    for (JsonNode t : execution.path("tasks")) {
      if (t.path("id").isTextual()) {
        executed.putIfAbsent(t.path("id").asText(), t);
      }
    }
    List<WfTask> tasks = new ArrayList<>(specTasks.size());
    int index = 0;
    for (JsonNode spec : specTasks) {
      String id = Json.text(spec.path("id"));
      if (id == null) {
        throw new AnalysisException(
            file + ": task #" + (index + 1) + " of workflow.specification.tasks has no id");
      }
      JsonNode run = executed.get(id);
      if (run == null) {
        throw new AnalysisException(
            file
                + ": task "
                + id
                + " has no runtime: "
                + (execution.isObject()
                    ? "it is not in workflow.execution.tasks"
                    : "the instance has no workflow.execution"));
      }
      double runtime = runtime(file, id, run, "runtimeInSeconds");
      List<String> inputs = Json.texts(spec.path("inputFiles"));
      List<String> outputs = Json.texts(spec.path("outputFiles"));
      List<String> parents = Json.texts(spec.path("parents"));
      List<String> children = Json.texts(spec.path("children"));
      Map<String, Double> features = new TreeMap<>();
      put(features, "read_bytes", Json.number(run.path("readBytes")));
      put(features, "written_bytes", Json.number(run.path("writtenBytes")));
      put(features, "cores", Json.number(run.path("coreCount")));
      fileFeatures(features, inputs, outputs, sizes);
      graphFeatures(features, parents, children);
      argumentFeatures(features, Json.texts(run.path("command").path("arguments")));
      machineFeatures(features, run);
      String name = Json.text(spec.path("name"));
      String program = Json.text(run.path("command").path("program"));
      tasks.add(
          new WfTask(
              id,
              names.fit(program != null ? program : toolOfName(name != null ? name : id)),
              runtime,
              features,
              parents,
              children,
              Json.instant(run.path("executedAt"))));
      index++;
    }
    return tasks;
  }

  // ------------------------------------------------------------------ 1.4 and older

  private static List<WfTask> readLegacy(Path file, JsonNode workflow, ToolNames names) {
    JsonNode list = workflow.has("tasks") ? workflow.path("tasks") : workflow.path("jobs");
    if (!list.isArray() || list.isEmpty()) {
      throw new AnalysisException(file + ": workflow.tasks is missing or empty");
    }
    // parents and children name tasks by name (1.4) or by id; the name is the key when present
    Map<String, String> keyOf = new HashMap<>();
    List<String> keys = new ArrayList<>();
    int index = 0;
    for (JsonNode t : list) {
      String name = Json.text(t.path("name"));
      String id = Json.text(t.path("id"));
      String key = name != null ? name : id;
      if (key == null) {
        throw new AnalysisException(
            file + ": task #" + (index + 1) + " of workflow.tasks has neither name nor id");
      }
      keys.add(key);
      keyOf.putIfAbsent(key, key);
      if (id != null) {
        keyOf.putIfAbsent(id, key);
      }
      index++;
    }
    List<WfTask> tasks = new ArrayList<>(list.size());
    index = 0;
    for (JsonNode t : list) {
      String key = keys.get(index++);
      String field = t.has("runtimeInSeconds") ? "runtimeInSeconds" : "runtime";
      double runtime = runtime(file, key, t, field);
      List<String> inputs = new ArrayList<>();
      List<String> outputs = new ArrayList<>();
      Map<String, Double> sizes = new HashMap<>();
      for (JsonNode f : t.path("files")) {
        String fileName = Json.text(f.has("name") ? f.path("name") : f.path("id"));
        Double size = Json.number(f.has("sizeInBytes") ? f.path("sizeInBytes") : f.path("size"));
        if (fileName == null) {
          continue;
        }
        if (size != null) {
          sizes.put(fileName, size);
        }
        ("output".equalsIgnoreCase(f.path("link").asText()) ? outputs : inputs).add(fileName);
      }
      List<String> parents = resolve(Json.texts(t.path("parents")), keyOf);
      List<String> children = resolve(Json.texts(t.path("children")), keyOf);
      Map<String, Double> features = new TreeMap<>();
      put(features, "read_bytes", first(t, "readBytes", "bytesRead"));
      put(features, "written_bytes", first(t, "writtenBytes", "bytesWritten"));
      put(features, "cores", first(t, "cores", "coreCount"));
      fileFeatures(features, inputs, outputs, sizes);
      graphFeatures(features, parents, children);
      argumentFeatures(features, Json.texts(t.path("command").path("arguments")));
      machineFeatures(features, t);
      String program = Json.text(t.path("command").path("program"));
      String category = Json.text(t.path("category"));
      tasks.add(
          new WfTask(
              key,
              names.fit(program != null ? program : category != null ? category : toolOfName(key)),
              runtime,
              features,
              parents,
              children,
              Json.instant(t.path("executedAt"))));
    }
    return tasks;
  }

  private static List<String> resolve(List<String> names, Map<String, String> keyOf) {
    return names.stream().map(n -> keyOf.getOrDefault(n, n)).toList();
  }

  private static @Nullable Double first(JsonNode task, String field, String alternative) {
    Double value = Json.number(task.path(field));
    return value != null ? value : Json.number(task.path(alternative));
  }

  // ------------------------------------------------------------------ common

  private static double runtime(Path file, String id, JsonNode task, String field) {
    JsonNode node = task.path(field);
    Double runtime = Json.number(node);
    if (runtime == null) {
      String why =
          node.isMissingNode() || node.isNull()
              ? field + " is missing"
              : field + " is " + node + ", not a number";
      throw new AnalysisException(file + ": task " + id + " has no runtime (" + why + ")");
    }
    if (!(runtime >= 0) || Double.isInfinite(runtime)) {
      throw new AnalysisException(
          file + ": task " + id + " has an invalid runtime: " + field + " is " + runtime);
    }
    return runtime;
  }

  private static void fileFeatures(
      Map<String, Double> features,
      List<String> inputs,
      List<String> outputs,
      Map<String, Double> sizes) {
    features.put("input_files", (double) inputs.size());
    features.put("output_files", (double) outputs.size());
    features.put("input_bytes", inputs.stream().mapToDouble(f -> sizes.getOrDefault(f, 0.0)).sum());
    // the sum hides a small per-task input next to a large shared one (a database, a reference)
    DoubleSummaryStatistics known =
        inputs.stream().filter(sizes::containsKey).mapToDouble(sizes::get).summaryStatistics();
    if (known.getCount() > 0) {
      features.put("input_bytes_min", known.getMin());
      features.put("input_bytes_max", known.getMax());
    }
    features.put(
        "output_bytes", outputs.stream().mapToDouble(f -> sizes.getOrDefault(f, 0.0)).sum());
  }

  /** Numeric command-line arguments by position ({@code arg_1}...), and how many there are. */
  private static void argumentFeatures(Map<String, Double> features, List<String> arguments) {
    if (arguments.isEmpty()) {
      return;
    }
    features.put("arguments", (double) arguments.size());
    for (int i = 0; i < Math.min(arguments.size(), MAX_NUMERIC_ARGUMENTS); i++) {
      Double value = number(arguments.get(i));
      if (value != null) {
        features.put("arg_" + i, value);
      }
    }
  }

  /**
   * The machine(s) a task ran on, one-hot ({@code machine=NODE}, see {@link Categories}): 1.5's
   * {@code machines} (node names), or an older {@code machine} (a node name, or an object with
   * {@code nodeName}).
   */
  private static void machineFeatures(Map<String, Double> features, JsonNode task) {
    List<String> nodes = new ArrayList<>(Json.texts(task.path("machines")));
    JsonNode machine = task.path("machine");
    String node = Json.text(machine.isObject() ? machine.path("nodeName") : machine);
    if (node != null) {
      nodes.add(node);
    }
    for (String n : nodes) {
      if (!n.isBlank()) {
        features.put(Categories.feature(Categories.MACHINE, n.strip()), 1.0);
      }
    }
  }

  private static @Nullable Double number(String text) {
    if (text.length() > 24 || !NUMBER.matcher(text).matches()) {
      return null;
    }
    double value = Double.parseDouble(text);
    return Double.isFinite(value) ? value : null;
  }

  private static void graphFeatures(
      Map<String, Double> features, List<String> parents, List<String> children) {
    features.put("parents", (double) parents.size());
    features.put("children", (double) children.size());
  }

  private static void put(Map<String, Double> features, String name, @Nullable Double value) {
    if (value != null && Double.isFinite(value)) {
      features.put(name, value);
    }
  }

  /** {@code mProject_00000012} → {@code mProject}; {@code individuals_ID0000001} → idem. */
  public static String toolOfName(String name) {
    String tool = name.replaceFirst("([_.-]?(ID)?[0-9]+)+$", "");
    return tool.isEmpty() ? name : tool;
  }

  private static Workload workload(Path file, JsonNode root, List<WfTask> tasks) {
    Map<String, Set<String>> dependsOn = new LinkedHashMap<>();
    for (WfTask task : tasks) {
      dependsOn.computeIfAbsent(task.id(), k -> new LinkedHashSet<>()).addAll(task.parents());
    }
    for (WfTask task : tasks) {
      for (String child : task.children()) {
        Set<String> parents = dependsOn.get(child);
        if (parents == null) {
          throw new AnalysisException(
              file
                  + ": task "
                  + task.id()
                  + " lists child "
                  + child
                  + ", which is not in the workflow");
        }
        parents.add(task.id());
      }
    }
    List<SimulatedCall> calls = new ArrayList<>(tasks.size());
    for (WfTask task : tasks) {
      calls.add(
          new SimulatedCall(
              task.id(),
              task.tool(),
              task.features(),
              List.copyOf(dependsOn.get(task.id())),
              Json.seconds(task.runtimeSeconds()),
              true));
    }
    String name = Json.text(root.path("name"));
    try {
      return new Workload(name != null ? name : file.getFileName().toString(), calls);
    } catch (IllegalArgumentException e) {
      throw new AnalysisException(file + ": " + e.getMessage(), e);
    }
  }

  /** Last end minus first start, from the tasks' start timestamps, or null if some are missing. */
  private static @Nullable Duration spanOfStarts(List<WfTask> tasks) {
    Instant first = null;
    Instant last = null;
    for (WfTask task : tasks) {
      Instant start = task.executedAt();
      if (start == null) {
        return null;
      }
      Instant end = start.plus(Json.seconds(task.runtimeSeconds()));
      first = first == null || start.isBefore(first) ? start : first;
      last = last == null || end.isAfter(last) ? end : last;
    }
    return first == null || last == null ? null : Duration.between(first, last);
  }
}
