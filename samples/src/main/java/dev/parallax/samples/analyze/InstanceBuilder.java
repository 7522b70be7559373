package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/*
 * A synthetic workflow instance is built the way real ones are recorded: tasks declare the files
 * they read and write, a task's parents are the producers of its input files, and each task's
 * runtime follows its program's cost from the bytes it reads (shared reference files such as a
 * BLAST database are read but do not drive the cost), with noise. The recorded execution is a list
 * schedule on a fixed number of workers: ready tasks are dispatched in id order to the first free
 * worker, each after a scheduling delay (log-uniform 0.5 to 4 s, like a batch system's). Everything
 * comes from one seeded random generator, so an instance is reproducible from its seed.
 */
/** Builds one synthetic WfFormat 1.5 instance. Not thread-safe. */
final class InstanceBuilder {

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private final String name;
  private final String description;
  private final Random random;
  private final int workers;
  private final Map<String, Double> files = new LinkedHashMap<>();
  private final Set<String> shared = new LinkedHashSet<>();
  private final Map<String, Integer> producer = new HashMap<>();
  private final List<Task> tasks = new ArrayList<>();

  private record Task(
      String id,
      String program,
      List<String> inputs,
      List<String> outputs,
      List<Integer> parents,
      double readBytes,
      double writtenBytes,
      double runtime) {}

  InstanceBuilder(String name, String description, long seed, int workers) {
    this.name = name;
    this.description = description;
    this.random = new Random(seed);
    this.workers = workers;
  }

  /** The generator's random numbers. */
  Random random() {
    return random;
  }

  /** A log-uniform random number between {@code low} and {@code high}. */
  double logUniform(double low, double high) {
    return Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
  }

  /** Declares an input file of the workflow (not produced by a task) and returns its id. */
  String input(String id, double bytes) {
    files.put(id, (double) Math.round(bytes));
    return id;
  }

  /** Declares a shared input file: read by tasks but not driving their cost. */
  String sharedInput(String id, double bytes) {
    shared.add(id);
    return input(id, bytes);
  }

  /** The size of a declared file. */
  double size(String file) {
    Double size = files.get(file);
    if (size == null) {
      throw new IllegalArgumentException("unknown file " + file);
    }
    return size;
  }

  /**
   * Adds a task of {@code program} reading {@code inputs} (declared earlier) and writing {@code
   * outputs} (file id to size), and returns its id.
   */
  String task(String program, List<String> inputs, Map<String, Double> outputs, ToolCost cost) {
    String id = String.format(java.util.Locale.ROOT, "%s_%08d", program, tasks.size() + 1);
    Set<Integer> parents = new LinkedHashSet<>();
    double read = 0;
    double driving = 0;
    for (String input : inputs) {
      double size = size(input);
      read += size;
      if (!shared.contains(input)) {
        driving += size;
      }
      Integer from = producer.get(input);
      if (from != null) {
        parents.add(from);
      }
    }
    double written = 0;
    for (Map.Entry<String, Double> output : outputs.entrySet()) {
      if (files.containsKey(output.getKey())) {
        throw new IllegalArgumentException("file written twice: " + output.getKey());
      }
      files.put(output.getKey(), (double) Math.round(output.getValue()));
      producer.put(output.getKey(), tasks.size());
      written += Math.round(output.getValue());
    }
    // what a process reads is a little more than its inputs (libraries, headers, re-reads)
    double readBytes = Math.round(read * (1 + 0.03 * random.nextDouble()));
    double runtime = Math.round(cost.runtime(driving, random) * 1000) / 1000.0;
    tasks.add(
        new Task(
            id,
            program,
            List.copyOf(inputs),
            List.copyOf(outputs.keySet()),
            List.copyOf(parents),
            readBytes,
            written,
            runtime));
    return id;
  }

  /** The instance as WfFormat 1.5 JSON, with a recorded execution starting at {@code start}. */
  ObjectNode build(Instant start) {
    double[] begin = schedule();
    double makespan = 0;
    for (int i = 0; i < tasks.size(); i++) {
      makespan = Math.max(makespan, begin[i] + tasks.get(i).runtime());
    }
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode root = json.objectNode();
    root.put("name", name);
    root.put("description", description);
    root.put("createdAt", ISO.format(start));
    root.put("schemaVersion", "1.5");
    root.putObject("author").put("name", "Parallax").put("email", "parallax@example.org");
    root.putObject("runtimeSystem")
        .put("name", "parallax-synthetic")
        .put("version", "0.1.0")
        .put("url", "https://github.com/wfcommons/WfFormat");
    ObjectNode workflow = root.putObject("workflow");
    ObjectNode specification = workflow.putObject("specification");
    ArrayNode specTasks = specification.putArray("tasks");
    List<List<String>> children = new ArrayList<>();
    tasks.forEach(t -> children.add(new ArrayList<>()));
    for (Task t : tasks) {
      for (int p : t.parents()) {
        children.get(p).add(t.id());
      }
    }
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      ObjectNode task = specTasks.addObject();
      task.put("name", t.id());
      task.put("id", t.id());
      ArrayNode parents = task.putArray("parents");
      t.parents().forEach(p -> parents.add(tasks.get(p).id()));
      ArrayNode kids = task.putArray("children");
      children.get(i).forEach(kids::add);
      ArrayNode in = task.putArray("inputFiles");
      t.inputs().forEach(in::add);
      ArrayNode out = task.putArray("outputFiles");
      t.outputs().forEach(out::add);
    }
    ArrayNode fileList = specification.putArray("files");
    files.forEach(
        (id, size) -> fileList.addObject().put("id", id).put("sizeInBytes", size.longValue()));
    ObjectNode execution = workflow.putObject("execution");
    execution.put("makespanInSeconds", Math.round(makespan * 1000) / 1000.0);
    execution.put("executedAt", ISO.format(start));
    ArrayNode execTasks = execution.putArray("tasks");
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      ObjectNode task = execTasks.addObject();
      task.put("id", t.id());
      task.put("runtimeInSeconds", t.runtime());
      task.put("executedAt", ISO.format(start.plusMillis(Math.round(begin[i] * 1000))));
      ObjectNode command = task.putObject("command");
      command.put("program", t.program());
      ArrayNode arguments = command.putArray("arguments");
      t.inputs().forEach(arguments::add);
      task.put("coreCount", 1);
      task.put("readBytes", (long) t.readBytes());
      task.put("writtenBytes", (long) t.writtenBytes());
      task.putArray("machines").add("worker-" + (i % workers + 1));
    }
    ArrayNode machines = execution.putArray("machines");
    for (int w = 1; w <= workers; w++) {
      ObjectNode machine = machines.addObject();
      machine.put("nodeName", "worker-" + w);
      machine.put("system", "linux");
      machine.put("architecture", "x86_64");
      machine.putObject("cpu").put("coreCount", 1).put("speedInMHz", 2400);
    }
    return root;
  }

  /** Start times of a list schedule on {@code workers} workers, ready tasks in id order. */
  private double[] schedule() {
    int n = tasks.size();
    double[] start = new double[n];
    double[] end = new double[n];
    int[] waiting = new int[n];
    List<List<Integer>> dependents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      waiting[i] = tasks.get(i).parents().size();
      for (int p : tasks.get(i).parents()) {
        dependents.get(p).add(i);
      }
    }
    PriorityQueue<double[]> running = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    double[] readyAt = new double[n];
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    double now = 0;
    int free = workers;
    int finished = 0;
    while (finished < n) {
      while (free > 0 && !ready.isEmpty()) {
        int i = ready.poll();
        start[i] = Math.max(now, readyAt[i]) + logUniform(0.5, 4);
        end[i] = start[i] + tasks.get(i).runtime();
        running.add(new double[] {end[i], i});
        free--;
      }
      double[] next = running.poll();
      if (next == null) {
        throw new IllegalStateException("the tasks of " + name + " form a cycle");
      }
      now = next[0];
      free++;
      finished++;
      for (int d : dependents.get((int) next[1])) {
        readyAt[d] = Math.max(readyAt[d], now);
        if (--waiting[d] == 0) {
          ready.add(d);
        }
      }
    }
    return start;
  }
}
