package dev.parallax.samples.bench.cluster;

import dev.parallax.cluster.MemberLostException;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * One member of the bench's cluster, run as its own JVM by {@link MemberProcess}. Its tools ({@code
 * fetch}, idempotent, and {@code charge}, not idempotent) call the loopback backend through this
 * member's own pool of connections, so one member's capacity is {@code pool / service time}.
 *
 * <p>Arguments: {@code clusterName port backendUri pool globalLimit}. Protocol on stdin/stdout
 * (lines; replies start with {@value #REPLY}, anything else on stdout is not protocol):
 *
 * <ul>
 *   <li>{@value #READY} once the member has joined;
 *   <li>{@code RUN prefix calls mixed members}: waits for {@code members} members, runs a warm-up
 *       batch, then {@code calls} calls ({@code prefix0..}; every other one {@code charge} if
 *       {@code mixed}) through the cluster's admission and runner, and replies {@code RESULT nanos
 *       succeeded memberLost otherFailed rerun windowCalls windowNanos firstError} ({@code nanos}:
 *       the whole batch; {@code windowCalls} and {@code windowNanos}: its steady window, see {@link
 *       #steadyWindow});
 *   <li>{@code INTERVALS}: replies {@code INTERVALS start,end,pooled;...} (wall-clock microseconds
 *       of every tool execution on this member since the last such command: its start, its end and
 *       when it got a connection of the pool).
 * </ul>
 *
 * Stdin closing (the parent exited, however) ends the process at once.
 */
public final class ClusterMemberMain {

  /** Prefix of every protocol reply. */
  static final String REPLY = "@@ ";

  /** Sent once joined. */
  static final String READY = "READY";

  private static final long JOIN_TIMEOUT_NANOS = Duration.ofMinutes(2).toNanos();

  private static final ConcurrentLinkedQueue<long[]> INTERVALS = new ConcurrentLinkedQueue<>();

  /** When the last measured batch's calls started and finished, for STATS. */
  private static volatile String timeline = "";

  private ClusterMemberMain() {}

  /**
   * Starts the member and serves the protocol until stdin closes.
   *
   * @param args cluster name, first port, backend URI, pool size, cluster-wide limit
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try {
      String name = args[0];
      int port = Integer.parseInt(args[1]);
      URI backend = URI.create(args[2]);
      int pool = Integer.parseInt(args[3]);
      int limit = Integer.parseInt(args[4]);
      ToolRegistry tools = tools(backend, pool);
      TimedAdmission timed;
      ParallaxCluster member =
          ParallaxCluster.builder()
              .clusterName(name)
              .port(port, 10)
              .tools(tools)
              .toolLimit("fetch", limit)
              .toolLimit("charge", limit)
              .callThreads(4 * pool)
              .property("hazelcast.wait.seconds.before.join", "0")
              .property("hazelcast.max.wait.seconds.before.join", "0")
              .property("hazelcast.heartbeat.interval.seconds", "1")
              .property("hazelcast.max.no.heartbeat.seconds", "6")
              .property("hazelcast.partition.count", "23")
              .property("hazelcast.health.monitoring.level", "OFF")
              .start();
      timed = new TimedAdmission(member.admissionControl(), limit);
      reply(out, READY);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] cmd = line.trim().split(" ");
        switch (cmd[0]) {
          case "RUN" ->
              reply(
                  out,
                  run(
                      member,
                      timed,
                      tools,
                      limit,
                      cmd[1],
                      Integer.parseInt(cmd[2]),
                      Boolean.parseBoolean(cmd[3]),
                      Integer.parseInt(cmd[4])));
          case "INTERVALS" -> reply(out, intervals());
          case "STATS" -> reply(out, "STATS " + timed.drain() + "; " + timeline);
          default -> reply(out, "ERROR unknown command " + line);
        }
      }
    } catch (Throwable e) {
      e.printStackTrace();
      reply(out, "ERROR " + e.toString().replace('\n', ' '));
    }
    Runtime.getRuntime().halt(0); // the parent is gone or done: no graceful leave needed
  }

  private static void reply(PrintStream out, String line) {
    synchronized (out) {
      out.println(REPLY + line);
      out.flush();
    }
  }

  private static String run(
      ParallaxCluster member,
      TimedAdmission admission,
      ToolRegistry tools,
      int limit,
      String prefix,
      int calls,
      boolean mixed,
      int members) {
    long deadline = System.nanoTime() + JOIN_TIMEOUT_NANOS;
    while (member.memberCount() < members
        || !member.hazelcast().getPartitionService().isClusterSafe()) {
      if (System.nanoTime() > deadline) {
        return "ERROR waited for "
            + members
            + " members: "
            + member.hazelcast().getCluster().getMembers()
            + ", cluster safe: "
            + member.hazelcast().getPartitionService().isClusterSafe();
      }
      LockSupport.parkNanos(20_000_000); // joining takes seconds
    }
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(4 * limit)
            .admissionControl(admission)
            .runner(member.callRunner())
            .build()) {
      executor.executeParallel(batch(tools, "w" + prefix, 2 * limit, false));
      admission.drain(); // the figures of the measured batch only
      long rerunBefore = member.runnerCounters().get("rerun");
      List<ToolCall<?, ?>> batch = batch(tools, prefix, calls, mixed);
      long t0 = System.nanoTime();
      RunResult result = executor.executeParallel(batch);
      long nanos = System.nanoTime() - t0;
      int succeeded = 0;
      int memberLost = 0;
      int other = 0;
      String firstError = "-";
      for (ToolCall<?, ?> call : batch) {
        CallResult<?> r = result.get(call.id());
        if (r.status() == CallStatus.SUCCEEDED) {
          succeeded++;
        } else if (r.error() instanceof MemberLostException) {
          memberLost++;
        } else {
          other++;
          if (firstError.equals("-")) {
            firstError = (r.status() + ":" + r.error()).replace('\n', ' ');
          }
        }
      }
      long rerun = member.runnerCounters().get("rerun") - rerunBefore;
      long[] window = steadyWindow(result, batch, limit, nanos);
      timeline = timeline(result, batch, limit, Instant.now().minusNanos(nanos));
      return "RESULT "
          + nanos
          + " "
          + succeeded
          + " "
          + memberLost
          + " "
          + other
          + " "
          + rerun
          + " "
          + window[0]
          + " "
          + window[1]
          + " "
          + firstError;
    }
  }

  /**
   * The batch's steady window: the calls that finished after the {@code limit}-th finish and up to
   * the {@code (n - limit)}-th, and the time between those two finishes, so that neither the
   * ramp-up (the first wave of admissions and dispatches) nor the tail (the last, partly empty
   * wave, while permits idle) is counted. The same rule for every cluster size; {@code limit} is
   * the global limit, one full wave of the largest cluster. A batch of at most {@code 2 * limit}
   * calls, or one with calls that did not finish, is measured whole: {@code {calls, nanos}}.
   */
  static long[] steadyWindow(RunResult result, List<ToolCall<?, ?>> batch, int limit, long nanos) {
    int n = batch.size();
    if (n <= 2 * limit) {
      return new long[] {n, nanos};
    }
    long[] finished = new long[n];
    for (int i = 0; i < n; i++) {
      CallResult<?> r = result.get(batch.get(i).id());
      if (r.status() != CallStatus.SUCCEEDED) {
        return new long[] {n, nanos};
      }
      Instant t = r.finishedAt();
      finished[i] = t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
    java.util.Arrays.sort(finished);
    long from = finished[limit - 1];
    long to = finished[n - limit - 1];
    return new long[] {n - 2L * limit, Math.max(1, to - from)};
  }

  /** Milliseconds from the batch's start to some of its calls' starts and finishes. */
  private static String timeline(
      RunResult result, List<ToolCall<?, ?>> batch, int limit, Instant t0) {
    List<Long> starts = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    for (ToolCall<?, ?> c : batch) {
      CallResult<?> r = result.get(c.id());
      if (r.startedAt() != null) {
        starts.add(Duration.between(t0, r.startedAt()).toMillis());
      }
      ends.add(Duration.between(t0, r.finishedAt()).toMillis());
    }
    starts.sort(null);
    ends.sort(null);
    int n = ends.size();
    if (n <= 2 * limit || starts.size() < limit) {
      return "timeline -";
    }
    return "timeline ms: start #1 "
        + starts.get(0)
        + ", start #"
        + limit
        + " "
        + starts.get(limit - 1)
        + ", finish #1 "
        + ends.get(0)
        + ", finish #"
        + limit
        + " "
        + ends.get(limit - 1)
        + ", finish #"
        + (n - limit)
        + " "
        + ends.get(n - limit - 1)
        + ", last "
        + ends.get(n - 1);
  }

  private static List<ToolCall<?, ?>> batch(
      ToolRegistry tools, String prefix, int calls, boolean mixed) {
    List<ToolCall<?, ?>> batch = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      String tool = mixed && i % 2 == 1 ? "charge" : "fetch";
      batch.add(tools.call(prefix + i, tool, Integer.toString(i)));
    }
    return batch;
  }

  private static String intervals() {
    StringBuilder s = new StringBuilder("INTERVALS ");
    long[] interval;
    while ((interval = INTERVALS.poll()) != null) {
      s.append(interval[0])
          .append(',')
          .append(interval[1])
          .append(',')
          .append(interval[2])
          .append(';');
    }
    return s.toString();
  }

  /** The member's tools: its own pool of {@code pool} connections to the backend. */
  static ToolRegistry tools(URI backend, int pool) {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    Semaphore connections = new Semaphore(pool, true);
    return ToolRegistry.of(
        tool("fetch", true, client, connections, backend),
        tool("charge", false, client, connections, backend));
  }

  private static Tool<Integer, String> tool(
      String name, boolean idempotent, HttpClient client, Semaphore connections, URI backend) {
    return Tools.named(name)
        .idempotent(idempotent)
        .input(Integer.class)
        .function(
            (n, ctx) -> {
              long start = micros();
              long pooled = start;
              try {
                connections.acquire(); // this member's pool
                pooled = micros();
                try {
                  HttpResponse<String> response =
                      client.send(
                          HttpRequest.newBuilder(backend)
                              .POST(HttpRequest.BodyPublishers.ofString(ctx.callId()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException("backend answered " + response.statusCode());
                  }
                  return response.body() + " " + n;
                } finally {
                  connections.release();
                }
              } finally {
                INTERVALS.add(new long[] {start, micros(), pooled});
              }
            });
  }

  /** Wall-clock microseconds: one clock for every process on the host. */
  private static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
