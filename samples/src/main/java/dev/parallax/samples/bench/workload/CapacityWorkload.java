package dev.parallax.samples.bench.workload;

import dev.parallax.samples.bench.capacity.Backend;
import dev.parallax.samples.bench.capacity.Comparison;
import dev.parallax.samples.bench.capacity.HttpBackend;
import dev.parallax.samples.bench.capacity.QueueBackend;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Adaptive concurrency on two backends that were not built for it, against fixed limits and
 * Netflix's Vegas, Gradient2 and AIMD, each swept and reported at its best: a real HTTP server on
 * loopback (bounded worker pool and queue, 503 when full) and an M/M/c queue with client timeouts
 * in virtual time. Parallax's limit starts cold: no reference latency, no model of the backend.
 */
/*
 * queue: `capacity` workers, exponential service of mean 100 ms, client timeout 1 s; runs of
 * capacitySeconds virtual seconds, the first capacityWarmupSeconds not counted; fixed limits 1..3C;
 * one repeat per 60 s of run length (at least 2), each on its own random draws; the sweep runs as
 * many rounds on other draws.
 * http: 8 workers, queue of 8, mean worker wait 20 ms, client timeout 250 ms; runs of
 * capacitySeconds / 150 real seconds (2 s in full), a quarter of it warm-up; in full, 3 sweep
 * rounds and 5 repeats of the chosen policies, each round and repeat on its own seed (shared by
 * every policy in it); one of each with --quick.
 * The halving runs last twice as long and halve the workers in the middle. top-level `policies` are
 * the queue backend's (deterministic); every figure of both is under `backends`.
 */
final class CapacityWorkload implements BenchWorkload {

  private static final double QUEUE_SERVICE_MS = 100;
  private static final double QUEUE_TIMEOUT_MS = 1000;
  private static final int HTTP_WORKERS = 8;
  private static final int HTTP_QUEUE = 8;
  private static final double HTTP_SERVICE_MS = 20;
  private static final double HTTP_TIMEOUT_MS = 250;
  private static final List<String> HALVING_POLICIES =
      List.of("adaptive", "static_best", "vegas", "gradient2", "aimd");

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public String description() {
    return "adaptive concurrency vs best fixed limit and tuned Vegas, Gradient2, AIMD: loopback HTTP"
        + " server and M/M/c queue";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes sizes = context.sizes();
    List<Comparison.Setup> setups = List.of(queue(context), http(context));
    int total = setups.stream().mapToInt(Comparison::runs).sum();
    context.progress().phase("sweeping and comparing on " + setups.size() + " backends", total);
    Map<String, Object> backends = new LinkedHashMap<>();
    Map<String, Object> byPolicy = new LinkedHashMap<>();
    Map<String, Object> ratios = new LinkedHashMap<>();
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    List<Chart> charts = new ArrayList<>();
    for (Comparison.Setup setup : setups) {
      Backend backend = setup.repeats().get(0);
      if (backend instanceof HttpBackend http) {
        http.warmUp(Math.max(1, setup.schedule().seconds()));
      }
      Comparison.Result result = Comparison.run(setup, what -> context.progress().step());
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("description", describe(backend));
      fields.putAll(result.fields());
      backends.put(backend.name(), fields);
      ratios.put(backend.name(), result.fields().get("ratios"));
      summarize(backend.name(), result.fields().get("policies"), byPolicy);
      List<Chart.Bar> bars = new ArrayList<>();
      result.medians().forEach((k, v) -> bars.add(new Chart.Bar(k, v.successesPerSecond())));
      charts.add(
          new Chart.Bars(
              "capacity (" + backend.name() + "): successful calls per second", "/s", bars));
      if (backend instanceof QueueBackend) {
        result
            .medians()
            .forEach(
                (k, o) ->
                    policies.put(
                        k,
                        PolicyFigures.builder()
                            .successRate(o.successRate())
                            .p95Ms(o.p95LatencyMs())
                            .toolExecutions(o.completed())
                            .cacheHits(0)
                            .throughputPerS(o.successesPerSecond())
                            .build()));
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("backends", backends);
    fields.put("capacity_by_policy", byPolicy);
    fields.put("capacity_ratios", ratios);
    fields.put("top_level_policies_from", "queue");
    return new WorkloadResult(name(), policies, fields, charts);
  }

  /** One line per backend and policy for the terminal: goodput median [min..max], success. */
  private static void summarize(String backend, Object policies, Map<String, Object> into) {
    if (!(policies instanceof Map<?, ?> byName)) {
      return;
    }
    byName.forEach(
        (name, figures) -> {
          if (figures instanceof Map<?, ?> f) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("goodput_per_s", f.get("throughput_spread"));
            line.put("success", f.get("success_rate"));
            line.put("mean_limit", f.get("mean_limit"));
            into.put(backend + " " + name, line);
          }
        });
  }

  private static Map<String, Object> describe(Backend backend) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("workers", backend.workers());
    switch (backend) {
      case QueueBackend q -> {
        d.put(
            "law", "M/M/c, FIFO, client timeout; abandonment while queued, wasted work in service");
        d.put("mean_service_ms", q.serviceMillis());
        d.put("client_timeout_ms", q.timeoutMillis());
        d.put("time", "virtual");
      }
      case HttpBackend h -> {
        d.put(
            "law",
            "none: JDK HttpServer on loopback, fixed worker pool, bounded queue, 503 when full;"
                + " a worker digests 16 KB (SHA-256) and holds its thread for an exponential wait;"
                + " the waits come from a seed per repeat, the same for every policy of a repeat"
                + " (common random numbers)");
        d.put("queue", h.queue());
        d.put("mean_worker_wait_ms", h.serviceMillis());
        d.put("client_timeout_ms", h.timeoutMillis());
        d.put("time", "real");
      }
      default -> {}
    }
    return d;
  }

  private static Comparison.Setup queue(WorkloadContext context) {
    Sizes sizes = context.sizes();
    int c = sizes.capacity();
    double seconds = sizes.capacitySeconds();
    int repeats = Math.max(2, sizes.capacitySeconds() / 60);
    List<Backend> backends = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      backends.add(
          new QueueBackend(
              c, QUEUE_SERVICE_MS, QUEUE_TIMEOUT_MS, context.seedFor("capacity-queue-" + r)));
    }
    List<Backend> sweeps = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      sweeps.add(
          new QueueBackend(
              c, QUEUE_SERVICE_MS, QUEUE_TIMEOUT_MS, context.seedFor("capacity-queue-sweep-" + r)));
    }
    Backend halved =
        new QueueBackend(
            Math.max(1, c / 2),
            QUEUE_SERVICE_MS,
            QUEUE_TIMEOUT_MS,
            context.seedFor("capacity-queue-0"));
    Backend.Schedule schedule = Backend.Schedule.steady(seconds, sizes.capacityWarmupSeconds());
    double halvingSeconds = 2 * seconds;
    return new Setup(
        backends,
        sweeps,
        halved,
        List.of(halved),
        range(1, 3 * c),
        range(1, Math.max(2, 3 * c / 2)),
        schedule,
        new Backend.Schedule(halvingSeconds, 0, halvingSeconds / 2, 1),
        Math.min(30, halvingSeconds / 4),
        5,
        HALVING_POLICIES,
        QUEUE_SERVICE_MS);
  }

  private static Comparison.Setup http(WorkloadContext context) {
    Sizes sizes = context.sizes();
    double seconds = sizes.capacitySeconds() / 150.0;
    boolean full = sizes.capacitySeconds() >= 300;
    int repeats = full ? 5 : 1;
    int sweepRounds = full ? 3 : 1;
    List<Backend> backends = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      backends.add(httpBackend(HTTP_WORKERS, context.seedFor("capacity-http-" + r)));
    }
    List<Backend> sweeps = new ArrayList<>();
    List<Backend> halvedSweeps = new ArrayList<>();
    for (int r = 0; r < sweepRounds; r++) {
      sweeps.add(httpBackend(HTTP_WORKERS, context.seedFor("capacity-http-sweep-" + r)));
      halvedSweeps.add(
          httpBackend(HTTP_WORKERS / 2, context.seedFor("capacity-http-halved-sweep-" + r)));
    }
    Backend halved = halvedSweeps.get(0);
    double halvingSeconds = 4 * seconds;
    return new Setup(
        backends,
        sweeps,
        halved,
        halvedSweeps,
        List.of(2, 4, 6, 8, 9, 10, 12, 16, 20, 24),
        List.of(2, 3, 4, 5, 6, 8, 12),
        Backend.Schedule.steady(seconds, seconds / 4),
        new Backend.Schedule(halvingSeconds, 0, halvingSeconds / 2, halvingSeconds / 40),
        halvingSeconds / 8,
        halvingSeconds / 16,
        List.of("adaptive", "static_best"),
        HTTP_SERVICE_MS);
  }

  private static HttpBackend httpBackend(int workers, long seed) {
    return new HttpBackend(workers, HTTP_QUEUE, HTTP_SERVICE_MS, HTTP_TIMEOUT_MS, seed);
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.rangeClosed(from, to).boxed().toList();
  }

  private record Setup(
      List<Backend> repeats,
      List<Backend> sweeps,
      Backend halved,
      List<Backend> halvedSweeps,
      List<Integer> fixedLimits,
      List<Integer> halvedFixedLimits,
      Backend.Schedule schedule,
      Backend.Schedule halving,
      double settleSeconds,
      double rollingSeconds,
      List<String> halvingPolicies,
      double noLoadMillis)
      implements Comparison.Setup {}
}
