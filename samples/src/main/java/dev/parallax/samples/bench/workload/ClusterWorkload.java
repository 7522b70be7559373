package dev.parallax.samples.bench.workload;

import dev.parallax.samples.bench.cluster.Backend;
import dev.parallax.samples.bench.cluster.MemberProcess;
import dev.parallax.samples.bench.model.Chart;
import dev.parallax.samples.bench.model.PolicyFigures;
import dev.parallax.samples.bench.model.WorkloadResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Parallax on a Hazelcast cluster whose members are separate JVM processes: throughput with 1, 2
 * and 3 members when one member's connection pool is the bottleneck, the cluster-wide limit held
 * across members, and a member killed (SIGKILL) mid-batch.
 */
/*
 * The parent (this process) runs the loopback backend (200 ms per request, never the bottleneck)
 * and starts three clusters side by side: 1, 2 and 3 member processes (ClusterMemberMain), each
 * member with its own pool of 8 connections to the backend, so a member serves at most 40 calls/s.
 * The first member of each cluster submits a batch through the cluster-wide admission (global limit
 * 24 = 3 pools, per tool) and the distributed runner; the cluster sizes are interleaved over the
 * repeats, after one warm-up round of full batches. Every member records the wall-clock interval of each tool
 * execution (pool wait included, inside the permit); max_in_flight_observed is the largest overlap
 * of all of them. Member kill: on the 3-member cluster a batch of idempotent (fetch) and
 * non-idempotent (charge) calls; once a third has been answered by the backend, the third member
 * is killed with SIGKILL. The backend counts requests per call id, so a non-idempotent call run
 * twice is seen whichever member ran it. Every process is killed when the workload ends, failed or
 * not.
 */
final class ClusterWorkload implements BenchWorkload {

  static final int POOL = 8;
  static final int SERVICE_MS = 200;
  static final int GLOBAL_LIMIT = 3 * POOL;
  private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(3);

  /** Prints the submitter's admission figures of every batch to stderr. */
  private static final boolean STATS = Boolean.getBoolean("parallax.bench.cluster.stats");

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

  @Override
  public String name() {
    return "cluster";
  }

  @Override
  public String description() {
    return "Hazelcast cluster of 1, 2, 3 member processes: throughput when one member's pool is the"
        + " bottleneck, the global limit held, a member killed mid-batch";
  }

  @Override
  public WorkloadResult run(WorkloadContext context) {
    Sizes.Cluster sizes = context.sizes().cluster();
    context.progress().phase("1, 2 and 3 member processes", 3L * (sizes.repeats() + 1) + 2);
    List<MemberProcess> all = new ArrayList<>();
    try (Backend backend = new Backend(SERVICE_MS)) {
      List<List<MemberProcess>> clusters = start(backend, all);
      context.progress().step();
      // warm-up round of full batches (JIT of four JVMs on a busy machine, connections): not
      // counted; with a quarter-size one the first measured 3-member repeat was the slowest
      for (int size = 1; size <= 3; size++) {
        run(
            clusters.get(size - 1).get(0),
            "u" + size + "-",
            Math.max(GLOBAL_LIMIT, sizes.calls()),
            false,
            size);
        context.progress().step();
      }
      double[][] throughput = new double[3][sizes.repeats()];
      double[][] whole = new double[3][sizes.repeats()];
      for (int r = 0; r < sizes.repeats(); r++) {
        for (int size = 1; size <= 3; size++) {
          Outcome o =
              run(
                  clusters.get(size - 1).get(0),
                  "t" + size + "r" + r + "-",
                  sizes.calls(),
                  false,
                  size);
          if (o.succeeded() != sizes.calls()) {
            throw new IllegalStateException(
                size
                    + " member(s): "
                    + (sizes.calls() - o.succeeded())
                    + " calls failed, first: "
                    + o.firstError());
          }
          throughput[size - 1][r] = o.steadyRate();
          whole[size - 1][r] = o.batchRate(sizes.calls());
          context.progress().step();
        }
      }
      int maxInFlight = maxInFlight(all);
      Map<String, Object> kill = memberKill(backend, clusters.get(2), sizes.killCalls());
      context.progress().step();
      return result(sizes, throughput, whole, maxInFlight, kill);
    } finally {
      for (MemberProcess m : all) {
        m.close();
      }
    }
  }

  /** Starts the three clusters: the first member of each, then the others once those are up. */
  private static List<List<MemberProcess>> start(Backend backend, List<MemberProcess> all) {
    int port = freePort();
    List<List<MemberProcess>> clusters = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int size = 1; size <= 3; size++) {
      clusters.add(new ArrayList<>());
      names.add("bench-" + size + "-" + UUID.randomUUID()); // members join only their own
    }
    for (int wave = 0; wave < 3; wave++) {
      List<MemberProcess> started = new ArrayList<>();
      for (int size = wave + 1; size <= 3; size++) {
        List<String> args =
            List.of(
                names.get(size - 1),
                Integer.toString(port + 10 * (size - 1)),
                backend.uri().toString(),
                Integer.toString(POOL),
                Integer.toString(GLOBAL_LIMIT));
        MemberProcess m = MemberProcess.start(size + " member(s): #" + (wave + 1), args);
        all.add(m);
        started.add(m);
        clusters.get(size - 1).add(m);
      }
      for (MemberProcess m : started) {
        m.await("READY", JOIN_TIMEOUT);
      }
    }
    return clusters;
  }

  private record Outcome(
      long nanos,
      int succeeded,
      int memberLost,
      int otherFailed,
      long rerun,
      long windowCalls,
      long windowNanos,
      String firstError) {

    /** Calls per second over the whole batch. */
    double batchRate(int calls) {
      return calls / (nanos / 1e9);
    }

    /** Calls per second in the steady window (no ramp-up, no tail). */
    double steadyRate() {
      return windowCalls / (windowNanos / 1e9);
    }
  }

  private static Outcome run(
      MemberProcess submitter, String prefix, int calls, boolean mixed, int members) {
    submitter.send("RUN " + prefix + " " + calls + " " + mixed + " " + members);
    Outcome outcome = outcome(submitter.await("RESULT", RUN_TIMEOUT.plus(JOIN_TIMEOUT)));
    if (STATS) {
      submitter.send("STATS");
      System.err.printf(
          "cluster %s: %d member(s), %.1f calls/s, %s%n",
          prefix, members, calls / (outcome.nanos() / 1e9), submitter.await("STATS", RUN_TIMEOUT));
    }
    return outcome;
  }

  private static Outcome outcome(String reply) {
    String[] f = reply.split(" ", 8);
    return new Outcome(
        Long.parseLong(f[0]),
        Integer.parseInt(f[1]),
        Integer.parseInt(f[2]),
        Integer.parseInt(f[3]),
        Long.parseLong(f[4]),
        Long.parseLong(f[5]),
        Long.parseLong(f[6]),
        f[7]);
  }

  /** The most tool executions at once across every member, from their recorded intervals. */
  private static int maxInFlight(List<MemberProcess> members) {
    List<long[]> events = new ArrayList<>(); // {time, +1 | -1}
    for (MemberProcess m : members) {
      m.send("INTERVALS");
      String reply = m.await("INTERVALS", RUN_TIMEOUT);
      long micros = 0;
      long poolMicros = 0;
      int executions = 0;
      for (String interval : reply.split(";")) {
        if (interval.isBlank()) {
          continue;
        }
        String[] se = interval.split(",");
        micros += Long.parseLong(se[1]) - Long.parseLong(se[0]);
        poolMicros += Long.parseLong(se[2]) - Long.parseLong(se[0]);
        executions++;
        events.add(new long[] {Long.parseLong(se[0]), 1});
        events.add(new long[] {Long.parseLong(se[1]), -1});
      }
      if (STATS) {
        System.err.printf(
            "cluster: member pid %d: %d tool executions, mean %.1f ms, of which pool wait %.1f ms%n",
            m.pid(),
            executions,
            executions == 0 ? 0.0 : micros / 1e3 / executions,
            executions == 0 ? 0.0 : poolMicros / 1e3 / executions);
      }
    }
    // at equal times, ends first: a permit is given back after the end is recorded
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int now = 0;
    int max = 0;
    for (long[] e : events) {
      now += (int) e[1];
      max = Math.max(max, now);
    }
    return max;
  }

  private static Map<String, Object> memberKill(
      Backend backend, List<MemberProcess> cluster, int calls) {
    MemberProcess submitter = cluster.get(0);
    MemberProcess victim = cluster.get(2);
    String prefix = "k-";
    CountDownLatch third = backend.tripAfter(prefix, calls / 3);
    submitter.send("RUN " + prefix + " " + calls + " true 3");
    try {
      if (!third.await(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("a third of the member-kill batch never ended");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    victim.kill();
    Outcome o = outcome(submitter.await("RESULT", RUN_TIMEOUT));
    int duplicated = 0;
    for (int i = 1; i < calls; i += 2) { // odd calls are charge, not idempotent
      if (backend.requests(prefix + i) > 1) {
        duplicated++;
      }
    }
    Map<String, Object> kill = new LinkedHashMap<>();
    kill.put("calls", calls);
    kill.put("completed", o.succeeded());
    kill.put("lost", calls - o.succeeded() - o.memberLost());
    kill.put("duplicated_non_idempotent", duplicated);
    kill.put("failed_member_lost", o.memberLost());
    kill.put("rerun_idempotent", o.rerun());
    kill.put("failed_other", o.otherFailed());
    kill.put("first_other_error", o.firstError());
    return kill;
  }

  private WorkloadResult result(
      Sizes.Cluster sizes,
      double[][] throughput,
      double[][] whole,
      int maxInFlight,
      Map<String, Object> kill) {
    Map<String, Object> median = new LinkedHashMap<>();
    Map<String, Object> spread = new LinkedHashMap<>();
    Map<String, PolicyFigures> policies = new LinkedHashMap<>();
    List<Chart.Bar> bars = new ArrayList<>();
    for (int size = 1; size <= 3; size++) {
      double[] t = throughput[size - 1].clone();
      Arrays.sort(t);
      double m = median(t);
      median.put(Integer.toString(size), round(m));
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("median", round(m));
      s.put("min", round(t[0]));
      s.put("max", round(t[t.length - 1]));
      s.put(
          "repeats",
          Arrays.stream(throughput[size - 1]).map(ClusterWorkload::round).boxed().toList());
      spread.put(Integer.toString(size), s);
      policies.put(
          size + (size == 1 ? "_member" : "_members"),
          PolicyFigures.builder()
              .successRate(1.0)
              .makespanMs(sizes.calls() / m * 1000)
              .toolExecutions(sizes.calls())
              .cacheHits(0)
              .throughputPerS(m)
              .build());
      bars.add(new Chart.Bar(size + (size == 1 ? " member" : " members"), m));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("throughput_per_s", median);
    fields.put("throughput_per_s_spread", spread);
    fields.put(
        "speedup_3_vs_1",
        round(((Number) median.get("3")).doubleValue() / ((Number) median.get("1")).doubleValue()));
    Map<String, Object> wholeMedian = new LinkedHashMap<>();
    for (int size = 1; size <= 3; size++) {
      double[] t = whole[size - 1].clone();
      Arrays.sort(t);
      wholeMedian.put(Integer.toString(size), round(median(t)));
    }
    fields.put("throughput_per_s_whole_batch", wholeMedian);
    fields.put(
        "speedup_3_vs_1_whole_batch",
        round(
            ((Number) wholeMedian.get("3")).doubleValue()
                / ((Number) wholeMedian.get("1")).doubleValue()));
    fields.put(
        "throughput_measured_as",
        sizes.calls() > 2 * GLOBAL_LIMIT
            ? "steady window of each batch: the calls finishing after the "
                + GLOBAL_LIMIT
                + "th finish up to the "
                + (sizes.calls() - GLOBAL_LIMIT)
                + "th, over the time between those finishes (no ramp-up, no tail wave), the"
                + " same rule for 1, 2 and 3 members; throughput_per_s_whole_batch counts the"
                + " whole batch"
            : "whole batch (too small for a steady window)");
    fields.put("global_limit", GLOBAL_LIMIT);
    fields.put("max_in_flight_observed", maxInFlight);
    fields.put("member_kill", kill);
    fields.put("per_member_pool", POOL);
    fields.put("service_ms", SERVICE_MS);
    fields.put("ideal_per_member_per_s", 1000.0 * POOL / SERVICE_MS);
    fields.put("calls_per_batch", sizes.calls());
    fields.put("repeats", sizes.repeats());
    fields.put(
        "members_are", "separate JVM processes on this host, Hazelcast TCP/IP join on loopback");
    List<Chart> charts =
        List.of(new Chart.Bars("cluster: calls per second by cluster size", "/s", bars));
    return new WorkloadResult(name(), policies, fields, charts);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return Math.min(s.getLocalPort(), 65000); // room for 3 clusters of 10 ports
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
