package dev.parallax.cluster.bench;

import com.sun.net.httpserver.HttpServer;
import dev.parallax.cluster.MemberLostException;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.cluster.ParallaxClusterBuilder;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bench workload {@code cluster}, standalone: prints {@code {"workloads":{"cluster":{...}}}}.
 *
 * <p>Each member's calls go to a real loopback HTTP backend (JDK HttpServer on virtual threads, a
 * fixed service time per request, never the bottleneck) through a per-member pool of {@code pool}
 * connections, so one member's capacity is {@code pool / serviceTime}. One member submits batches
 * through the cluster's runner and the cluster-wide admission (global limit {@code 3 × pool}); the
 * cluster has 1, 2 then 3 members (each size started fresh), sizes interleaved over the repeats.
 * Member kill: a batch of idempotent and non-idempotent calls on 3 members; one member (not the
 * submitter) is terminated once a third of the calls have ended.
 *
 * <p>Arguments: {@code [output.json] [repeats] [calls]}; defaults stdout, 3, 300.
 */
public final class ClusterBench {

  static final int POOL = 8;
  static final int SERVICE_MS = 200;
  static final int GLOBAL_LIMIT = 3 * POOL;

  private ClusterBench() {}

  /** Runs the workload. */
  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : null;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int calls = args.length > 2 ? Integer.parseInt(args[2]) : 300;
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    backend.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    backend.createContext(
        "/work",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            Thread.sleep(SERVICE_MS); // the backend's service time
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    backend.start();
    URI uri = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/work");
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    try {
      for (int size = 1; size <= 3; size++) { // warm-up round (JIT, class loading), not counted
        throughput(size, calls / 4, uri, new AtomicInteger(), new AtomicInteger());
      }
      double[][] throughput = new double[3][repeats];
      for (int r = 0; r < repeats; r++) {
        for (int size = 1; size <= 3; size++) {
          throughput[size - 1][r] = throughput(size, calls, uri, inFlight, maxInFlight);
          System.err.printf(
              Locale.ROOT,
              "repeat %d, %d member(s): %.1f calls/s%n",
              r + 1,
              size,
              throughput[size - 1][r]);
        }
      }
      // a member terminated in this JVM leaves its tool bodies running: counted apart
      String kill = memberKill(uri, new AtomicInteger(), new AtomicInteger());
      StringBuilder json = new StringBuilder();
      json.append("{\"workloads\":{\"cluster\":{\"throughput_per_s\":{");
      for (int size = 1; size <= 3; size++) {
        json.append(size > 1 ? "," : "")
            .append('"')
            .append(size)
            .append("\":")
            .append(fmt(median(throughput[size - 1])));
      }
      json.append("},\"throughput_per_s_min_max\":{");
      for (int size = 1; size <= 3; size++) {
        double[] t = throughput[size - 1].clone();
        Arrays.sort(t);
        json.append(size > 1 ? "," : "")
            .append('"')
            .append(size)
            .append("\":[")
            .append(fmt(t[0]))
            .append(',')
            .append(fmt(t[t.length - 1]))
            .append(']');
      }
      json.append("},\"speedup_3_vs_1\":")
          .append(fmt(median(throughput[2]) / median(throughput[0])))
          .append(",\"global_limit\":")
          .append(GLOBAL_LIMIT)
          .append(",\"max_in_flight_observed\":")
          .append(maxInFlight.get())
          .append(",\"per_member_pool\":")
          .append(POOL)
          .append(",\"service_ms\":")
          .append(SERVICE_MS)
          .append(",\"calls_per_batch\":")
          .append(calls)
          .append(",\"repeats\":")
          .append(repeats)
          .append(",\"member_kill\":")
          .append(kill)
          .append("}}}");
      if (out != null) {
        Files.writeString(out, json + "\n");
      }
      System.out.println(json);
    } finally {
      backend.stop(0);
      System.exit(0); // the members' threads are gone; do not wait for stragglers
    }
  }

  /** The tools of one member: its own connection pool to the backend. */
  static ToolRegistry tools(
      URI uri, AtomicInteger inFlight, AtomicInteger maxInFlight, Map<String, Integer> starts) {
    HttpClient client =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    Semaphore pool = new Semaphore(POOL, true);
    return ToolRegistry.of(
        tool("fetch", true, client, pool, uri, inFlight, maxInFlight, starts),
        tool("charge", false, client, pool, uri, inFlight, maxInFlight, starts));
  }

  private static Tool<Integer, String> tool(
      String name,
      boolean idempotent,
      HttpClient client,
      Semaphore pool,
      URI uri,
      AtomicInteger inFlight,
      AtomicInteger maxInFlight,
      Map<String, Integer> starts) {
    return Tools.named(name)
        .idempotent(idempotent)
        .input(Integer.class)
        .function(
            (n, ctx) -> {
              starts.merge(ctx.callId(), 1, Integer::sum);
              maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              try {
                pool.acquire(); // this member's connections
                try {
                  HttpResponse<String> response =
                      client.send(
                          HttpRequest.newBuilder(uri)
                              .POST(HttpRequest.BodyPublishers.ofString(Integer.toString(n)))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  return response.body() + " " + n;
                } finally {
                  pool.release();
                }
              } finally {
                inFlight.decrementAndGet();
              }
            });
  }

  private static List<ParallaxCluster> start(int size, List<ToolRegistry> registries)
      throws IOException {
    String name = "bench-" + UUID.randomUUID();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = Math.min(free.getLocalPort(), 65000);
    }
    List<ParallaxCluster> members = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ParallaxClusterBuilder b =
          ParallaxCluster.builder()
              .clusterName(name)
              .port(port, 10)
              .tools(registries.get(i))
              .toolLimit("fetch", GLOBAL_LIMIT)
              .toolLimit("charge", GLOBAL_LIMIT)
              .callThreads(4 * POOL)
              .property("hazelcast.wait.seconds.before.join", "0")
              .property("hazelcast.max.wait.seconds.before.join", "0")
              .property("hazelcast.heartbeat.interval.seconds", "1")
              .property("hazelcast.max.no.heartbeat.seconds", "6")
              .property("hazelcast.partition.count", "23");
      members.add(b.start());
    }
    while (!members.get(0).hazelcast().getPartitionService().isClusterSafe()) {
      Thread.onSpinWait();
    }
    return members;
  }

  private static double throughput(
      int size, int calls, URI uri, AtomicInteger inFlight, AtomicInteger maxInFlight)
      throws Exception {
    Map<String, Integer> starts = new ConcurrentHashMap<>();
    List<ToolRegistry> registries = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      registries.add(tools(uri, inFlight, maxInFlight, starts));
    }
    List<ParallaxCluster> members = start(size, registries);
    ParallaxCluster submitter = members.get(0);
    try (ToolExecutor executor = executor(submitter)) {
      List<ToolCall<?, ?>> warm = batch(registries.get(0), "w", 2 * GLOBAL_LIMIT, false);
      executor.executeParallel(warm);
      List<ToolCall<?, ?>> batch = batch(registries.get(0), "c", calls, false);
      long t0 = System.nanoTime();
      RunResult result = executor.executeParallel(batch);
      long t1 = System.nanoTime();
      if (!result.allSucceeded()) {
        throw new IllegalStateException("calls failed: " + result.report());
      }
      return calls / ((t1 - t0) / 1e9);
    } finally {
      for (ParallaxCluster m : members) {
        m.hazelcast().getLifecycleService().terminate();
      }
    }
  }

  private static String memberKill(URI uri, AtomicInteger inFlight, AtomicInteger maxInFlight)
      throws Exception {
    int calls = 600;
    Map<String, Integer> starts = new ConcurrentHashMap<>();
    List<ToolRegistry> registries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      registries.add(tools(uri, inFlight, maxInFlight, starts));
    }
    List<ParallaxCluster> members = start(3, registries);
    ParallaxCluster submitter = members.get(0);
    CountDownLatch third = new CountDownLatch(calls / 3);
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(4 * GLOBAL_LIMIT)
            .admissionControl(submitter.admissionControl())
            .runner(submitter.callRunner())
            .listener(
                new dev.parallax.core.event.ExecutionListener() {
                  @Override
                  public void onFinished(
                      dev.parallax.core.spi.PendingCall call, CallResult<?> result) {
                    third.countDown();
                  }
                })
            .build()) {
      List<ToolCall<?, ?>> batch = batch(registries.get(0), "k", calls, true);
      var run = executor.executeParallelAsync(batch);
      third.await();
      int onKilled = submitter.sentTo(members.get(2).hazelcast().getCluster().getLocalMember());
      members.get(2).hazelcast().getLifecycleService().terminate();
      RunResult result = run.get();
      int completed = 0;
      int memberLost = 0;
      int duplicated = 0;
      for (int i = 0; i < calls; i++) {
        CallResult<?> r = result.get("k" + i);
        if (r.status() == CallStatus.SUCCEEDED) {
          completed++;
        } else if (r.error() instanceof MemberLostException) {
          memberLost++;
        }
        if (!batch.get(i).tool().spec().idempotent() && starts.getOrDefault("k" + i, 0) > 1) {
          duplicated++;
        }
      }
      Map<String, Long> counters = submitter.runnerCounters();
      return "{\"calls\":"
          + calls
          + ",\"completed\":"
          + completed
          + ",\"lost\":"
          + (calls - completed - memberLost)
          + ",\"duplicated_non_idempotent\":"
          + duplicated
          + ",\"failed_member_lost\":"
          + memberLost
          + ",\"rerun_idempotent\":"
          + counters.get("rerun")
          + ",\"in_flight_on_killed_member\":"
          + onKilled
          + "}";
    } finally {
      for (ParallaxCluster m : members) {
        m.hazelcast().getLifecycleService().terminate();
      }
    }
  }

  private static ToolExecutor executor(ParallaxCluster submitter) {
    return ToolExecutor.builder()
        .maxConcurrency(4 * GLOBAL_LIMIT)
        .admissionControl(submitter.admissionControl())
        .runner(submitter.callRunner())
        .build();
  }

  private static List<ToolCall<?, ?>> batch(
      ToolRegistry tools, String prefix, int calls, boolean mixed) {
    List<ToolCall<?, ?>> batch = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      String tool = mixed && i % 2 == 1 ? "charge" : "fetch";
      batch.add(tools.call(prefix + i, tool, Integer.toString(i)));
    }
    return batch;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
