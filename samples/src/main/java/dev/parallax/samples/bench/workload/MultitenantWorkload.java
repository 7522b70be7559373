package dev.parallax.samples.bench.workload;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.planner.share.SchedulerStats;
import dev.parallax.planner.share.SharedScheduler;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.Stats;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Many runs on one executor: a background run of 2,000 calls and a Poisson stream of interactive
 * runs of 4 calls, sharing a capacity of 16 and two named resources, through the real executor in
 * virtual time. Interactive latency alone, shared with one FIFO queue, and shared with priorities;
 * background throughput alone and shared; utilization while work is queued; the longest the lowest
 * priority went without a start while it had calls waiting; resource over-allocations.
 */
/*
 * Each repeat draws its calls from its own seed: tools search (no resource), sql (db:1 of 4) and
 * embed (gpu:1 of 2); background calls are 80% search, 15% sql, 5% embed with log-normal durations
 * around 40 ms; an interactive run is search, sql, embed, search around 60 ms, arriving as a
 * Poisson stream (mean gap 250 ms) over the background's span. Every policy runs the same draws.
 * A run's latency is from its start to its last call's end. Utilization is the integral of
 * running calls / 16 over the time some call (of any run) was queued and not started, divided by
 * that time. Over-allocations are counted by the runner itself at every start (running calls
 * above 16, units of a resource above its capacity), not taken from the scheduler. Figures are
 * medians over the repeats with min-max.
 */
final class MultitenantWorkload implements BenchWorkload {

  static final int CAPACITY = 16;
  static final int BACKGROUND_CALLS = 2000;
  static final int INTERACTIVE_PRIORITY = 10;
  static final int REPEATS = 5;
  static final double MEAN_GAP_MS = 250;
  static final Map<String, Integer> RESOURCES = Map.of("db", 4, "gpu", 2);

  @Override
  public String name() {
    return "multitenant";
  }

  @Override
  public String description() {
    return "interactive runs beside a 2,000-call background run: FIFO vs priorities, virtual time";
  }

  /** A simulated call: its tool's name and duration. */
  record Job(String tool, long nanos) {}

  /** A tool the runner completes in virtual time; calling it on a thread is a bug. */
  record SimTool(ToolSpec spec) implements Tool<Job, String> {
    @Override
    public String call(Job input, ToolContext context) {
      throw new IllegalStateException("runs only under the simulated runner");
    }
  }

  static final Map<String, SimTool> TOOLS =
      Map.of(
          "search", new SimTool(ToolSpec.builder("search").inputType(Job.class).build()),
          "sql",
              new SimTool(
                  ToolSpec.builder("sql").inputType(Job.class).resources(Map.of("db", 1)).build()),
          "embed",
              new SimTool(
                  ToolSpec.builder("embed")
                      .inputType(Job.class)
                      .resources(Map.of("gpu", 1))
                      .build()));

  /** One repeat's draws. */
  record Draw(List<Job> background, List<Long> arrivalsNanos, List<List<Job>> interactive) {}

  /** What one scenario measured. */
  record Outcome(
      double makespanMs,
      double successRate,
      List<Double> interactiveMs,
      double backgroundElapsedMs,
      double utilization,
      double lowestPriorityMaxWaitMs,
      long overAllocations,
      long schedulerOverAllocations) {}

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Map<String, List<Outcome>> byScenario = new LinkedHashMap<>();
    List<String> scenarios =
        List.of("interactive_alone", "background_alone", "shared_fifo", "shared_priority");
    context.progress().phase("repeats x scenarios", (long) REPEATS * scenarios.size());
    for (int r = 0; r < REPEATS; r++) {
      Draw draw = draw(new Random(context.seedFor("multitenant-" + r)));
      for (String scenario : scenarios) {
        byScenario.computeIfAbsent(scenario, k -> new ArrayList<>()).add(run(scenario, draw));
        context.progress().step();
      }
    }

    Map<String, Object> p95 = new LinkedHashMap<>();
    Map<String, Object> p50 = new LinkedHashMap<>();
    Map<String, Object> p95Spread = new LinkedHashMap<>();
    for (String s : List.of("interactive_alone", "shared_fifo", "shared_priority")) {
      String key = s.equals("interactive_alone") ? "alone" : s;
      double[] p95s = perRepeat(byScenario.get(s), o -> percentile(o.interactiveMs, 95));
      double[] p50s = perRepeat(byScenario.get(s), o -> percentile(o.interactiveMs, 50));
      p95.put(key, Stats.median(p95s));
      p50.put(key, Stats.median(p50s));
      p95Spread.put(key, spread(p95s));
    }
    double[] ratios = new double[REPEATS];
    for (int r = 0; r < REPEATS; r++) {
      ratios[r] =
          percentile(byScenario.get("shared_priority").get(r).interactiveMs, 95)
              / percentile(byScenario.get("interactive_alone").get(r).interactiveMs, 95);
    }
    Map<String, Object> throughput = new LinkedHashMap<>();
    for (String s : List.of("background_alone", "shared_fifo", "shared_priority")) {
      double[] t =
          perRepeat(byScenario.get(s), o -> BACKGROUND_CALLS / (o.backgroundElapsedMs / 1000));
      throughput.put(s.equals("background_alone") ? "alone" : s, Stats.median(t));
    }
    Map<String, Object> utilization = new LinkedHashMap<>();
    for (String s : List.of("background_alone", "shared_fifo", "shared_priority")) {
      utilization.put(
          s.equals("background_alone") ? "alone" : s,
          Stats.median(perRepeat(byScenario.get(s), Outcome::utilization)));
    }
    long overAllocations = 0;
    long schedulerOver = 0;
    for (List<Outcome> outcomes : byScenario.values()) {
      for (Outcome o : outcomes) {
        overAllocations += o.overAllocations;
        schedulerOver += o.schedulerOverAllocations;
      }
    }
    double[] lowWait = perRepeat(byScenario.get("shared_priority"), o -> o.lowestPriorityMaxWaitMs);

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("capacity", CAPACITY);
    fields.put("resources", new TreeMap<>(RESOURCES));
    fields.put("background_calls", BACKGROUND_CALLS);
    fields.put("interactive_calls_per_run", 4);
    fields.put("interactive_mean_gap_ms", MEAN_GAP_MS);
    fields.put("interactive_priority", INTERACTIVE_PRIORITY);
    fields.put("repeats", REPEATS);
    fields.put("interactive_p95_ms", p95);
    fields.put("interactive_p95_ms_min_max", p95Spread);
    fields.put("interactive_p50_ms", p50);
    fields.put("priority_p95_over_alone", Stats.median(ratios));
    fields.put("priority_p95_over_alone_min_max", spread(ratios));
    fields.put("background_throughput_per_s", throughput);
    fields.put("utilization", utilization.get("shared_priority"));
    fields.put("utilization_by_scenario", utilization);
    fields.put("lowest_priority_max_wait_ms", Stats.median(lowWait));
    fields.put("lowest_priority_max_wait_ms_min_max", spread(lowWait));
    fields.put("resource_overallocations", overAllocations);
    fields.put("scheduler_overallocations", schedulerOver);
    Map<String, Object> goals = new LinkedHashMap<>();
    goals.put("priority_p95_within_1_25x_alone", Stats.median(ratios) <= 1.25);
    goals.put("utilization_at_least_0_95", (double) utilization.get("shared_priority") >= 0.95);
    goals.put("no_overallocations", overAllocations == 0 && schedulerOver == 0);
    fields.put("goals", goals);

    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    List<Chart.Bar> bars = new ArrayList<>();
    for (String s : List.of("interactive_alone", "shared_fifo", "shared_priority")) {
      double p = (double) p95.get(s.equals("interactive_alone") ? "alone" : s);
      policies.put(
          s,
          PolicyFigures.builder()
              .makespanMs(Stats.median(perRepeat(byScenario.get(s), Outcome::makespanMs)))
              .successRate(Stats.median(perRepeat(byScenario.get(s), Outcome::successRate)))
              .p95Ms(p)
              .build());
      bars.add(new Chart.Bar(s, p));
    }
    return new WorkloadResult(
        name(),
        policies,
        fields,
        List.of(new Chart.Bars("multitenant: interactive run p95", "ms", bars)));
  }

  private interface Figure {
    double of(Outcome o);
  }

  private static double[] perRepeat(List<Outcome> outcomes, Figure figure) {
    return outcomes.stream().mapToDouble(figure::of).toArray();
  }

  private static double percentile(List<Double> values, double p) {
    return Stats.percentile(values.stream().mapToDouble(d -> d).toArray(), p);
  }

  private static List<Double> spread(double[] values) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return List.of(min, max);
  }

  static Draw draw(Random random) {
    List<Job> background = new ArrayList<>(BACKGROUND_CALLS);
    double totalMs = 0;
    for (int i = 0; i < BACKGROUND_CALLS; i++) {
      double u = random.nextDouble();
      String tool = u < 0.80 ? "search" : u < 0.95 ? "sql" : "embed";
      long nanos = lognormal(random, 40);
      totalMs += nanos / 1e6;
      background.add(new Job(tool, nanos));
    }
    double spanMs = totalMs / CAPACITY; // the background alone, roughly
    List<Long> arrivals = new ArrayList<>();
    List<List<Job>> interactive = new ArrayList<>();
    double t = 0;
    while (true) {
      t += -MEAN_GAP_MS * Math.log(1 - random.nextDouble());
      if (t > spanMs) {
        break;
      }
      arrivals.add((long) (t * 1e6));
      List<Job> turn = new ArrayList<>(4);
      for (String tool : List.of("search", "sql", "embed", "search")) {
        turn.add(new Job(tool, lognormal(random, 60)));
      }
      interactive.add(turn);
    }
    return new Draw(background, arrivals, interactive);
  }

  private static long lognormal(Random random, double medianMs) {
    return (long) (medianMs * 1e6 * Math.exp(0.5 * random.nextGaussian()));
  }

  /** Runs one scenario on a fresh executor and scheduler in virtual time. */
  static Outcome run(String scenario, Draw draw) {
    VirtualTime time = new VirtualTime();
    Instant epoch = time.now();
    UnaryOperator<SharedScheduler.Builder> order =
        scenario.equals("shared_fifo") ? SharedScheduler.Builder::fifo : b -> b;
    SharedScheduler.Builder builder = SharedScheduler.builder().capacity(CAPACITY).timeSource(time);
    RESOURCES.forEach(builder::resource);
    SharedScheduler shared = order.apply(builder).build();
    CountingRunner runner = new CountingRunner(time);
    boolean background = !scenario.equals("interactive_alone");
    boolean interactive = !scenario.equals("background_alone");
    boolean priorities = !scenario.equals("shared_fifo");
    List<ToolRun> interactiveRuns = new ArrayList<>();
    ToolRun backgroundRun = null;
    try (ToolExecutor executor =
        ToolExecutor.builder().timeSource(time).runner(runner).runScheduler(shared).build()) {
      if (background) {
        backgroundRun = executor.start(ExecutionPlan.parallel(calls("b", draw.background())));
      }
      if (interactive) {
        for (int i = 0; i < draw.interactive().size(); i++) {
          ExecutionPlan plan =
              ExecutionPlan.parallel(calls("i" + i + "-", draw.interactive().get(i)));
          ExecutionPlan ranked = priorities ? plan.withPriority(INTERACTIVE_PRIORITY) : plan;
          time.schedule(
              Duration.ofNanos(draw.arrivalsNanos().get(i)),
              () -> interactiveRuns.add(executor.start(ranked)));
        }
      }
      time.runUntilIdle();
    }
    List<Double> latencies = new ArrayList<>();
    List<CallResult<?>> all = new ArrayList<>();
    for (ToolRun run : interactiveRuns) {
      RunResult result = finished(run);
      latencies.add(Durations.millis(result.report().elapsed()));
      all.addAll(result.results());
    }
    double backgroundMs = 0;
    double lowWait = 0;
    if (backgroundRun != null) {
      RunResult result = finished(backgroundRun);
      backgroundMs = Durations.millis(result.report().elapsed());
      all.addAll(result.results());
      lowWait = longestStarvation(result.results(), epoch);
    }
    SchedulerStats stats = shared.stats();
    long succeeded = all.stream().filter(CallResult::isSuccess).count();
    return new Outcome(
        Durations.millis(time.elapsed()),
        all.isEmpty() ? 0 : (double) succeeded / all.size(),
        latencies,
        backgroundMs,
        utilizationWhileQueued(all, epoch),
        lowWait,
        runner.overAllocations,
        stats.overAllocations());
  }

  private static RunResult finished(ToolRun run) {
    if (!run.isDone()) {
      throw new IllegalStateException("run " + run.id() + " did not finish in virtual time");
    }
    RunResult result = run.result().join();
    for (CallResult<?> r : result.results()) {
      if (!r.isSuccess()) {
        throw new IllegalStateException("call " + r.callId() + " ended " + r.status());
      }
    }
    return result;
  }

  private static List<ToolCall<?, ?>> calls(String prefix, List<Job> jobs) {
    List<ToolCall<?, ?>> calls = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      Job job = jobs.get(i);
      calls.add(ToolCall.of(prefix + i, TOOLS.get(job.tool()), job));
    }
    return calls;
  }

  private static long nanos(Instant epoch, Instant at) {
    return Duration.between(epoch, at).toNanos();
  }

  /**
   * The integral of running calls / capacity over the time some call was queued and not started,
   * divided by that time (1.0 when nothing ever waited).
   */
  static double utilizationWhileQueued(List<CallResult<?>> calls, Instant epoch) {
    TreeMap<Long, int[]> events = new TreeMap<>(); // time -> {running delta, waiting delta}
    for (CallResult<?> c : calls) {
      long queued = nanos(epoch, c.queuedAt());
      long started = nanos(epoch, c.startedAt());
      long ended = nanos(epoch, c.finishedAt());
      events.computeIfAbsent(queued, k -> new int[2])[1]++;
      events.computeIfAbsent(started, k -> new int[2])[1]--;
      events.computeIfAbsent(started, k -> new int[2])[0]++;
      events.computeIfAbsent(ended, k -> new int[2])[0]--;
    }
    long running = 0;
    long waiting = 0;
    long last = 0;
    double busy = 0;
    double queuedTime = 0;
    for (Map.Entry<Long, int[]> e : events.entrySet()) {
      long dt = e.getKey() - last;
      if (waiting > 0) {
        queuedTime += dt;
        busy += dt * (double) running / CAPACITY;
      }
      running += e.getValue()[0];
      waiting += e.getValue()[1];
      last = e.getKey();
    }
    return queuedTime == 0 ? 1.0 : busy / queuedTime;
  }

  /** The longest stretch without a start of one of these calls while one of them was waiting. */
  static double longestStarvation(List<CallResult<?>> calls, Instant epoch) {
    List<long[]> byStart = new ArrayList<>();
    for (CallResult<?> c : calls) {
      byStart.add(new long[] {nanos(epoch, c.queuedAt()), nanos(epoch, c.startedAt())});
    }
    byStart.sort((a, b) -> Long.compare(a[1], b[1]));
    long longest = 0;
    long previous = Long.MIN_VALUE;
    for (long[] c : byStart) { // a call waiting from queued to start; the last start before it
      long from = Math.max(c[0], previous);
      longest = Math.max(longest, c[1] - from);
      previous = c[1];
    }
    return longest / 1e6;
  }

  /** Completes attempts in virtual time and counts, itself, what runs at once. */
  static final class CountingRunner implements CallRunner {
    private final VirtualTime time;
    private int running;
    private final Map<String, Integer> units = new TreeMap<>();
    long overAllocations;

    CountingRunner(VirtualTime time) {
      this.time = time;
    }

    @Override
    public synchronized Cancellable start(AttemptExecution attempt) {
      Job job = (Job) attempt.call().call().input();
      Map<String, Integer> needs = attempt.call().tool().spec().resources();
      running++;
      boolean over = running > CAPACITY;
      for (Map.Entry<String, Integer> e : needs.entrySet()) {
        int now = units.merge(e.getKey(), e.getValue(), Integer::sum);
        over |= now > RESOURCES.get(e.getKey());
      }
      if (over) {
        overAllocations++;
      }
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      Cancellable end =
          time.schedule(
              Duration.ofNanos(job.nanos()),
              () -> {
                if (done.compareAndSet(false, true)) {
                  ended(needs);
                  attempt.complete("ok", null);
                }
              });
      return () -> {
        end.cancel();
        if (done.compareAndSet(false, true)) {
          ended(needs);
          attempt.complete(null, new java.util.concurrent.CancellationException("cancelled"));
        }
      };
    }

    private synchronized void ended(Map<String, Integer> needs) {
      running--;
      needs.forEach((r, n) -> units.merge(r, -n, Integer::sum));
    }
  }
}
