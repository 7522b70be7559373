package dev.parallax.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.LifecycleEvent;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member in a JVM of its own, for {@link SplitBrainTest}: joins the cluster named by its
 * arguments with the test's limit and split-brain protection, starts {@link #HOLDING} calls of the
 * limited tool that hold their permits until told {@code finish} on stdin, and reports on stdout:
 * {@code READY uuid}, {@code HOLDING n} (its calls run), {@code ALONE} then {@code PROBE status
 * cause: message} (a call tried once it sees no other member), {@code MERGED uuid} (its new UUID
 * after the merge), {@code DONE statuses} (its held calls ended).
 */
public final class SplitBrainMemberMain {

  private SplitBrainMemberMain() {}

  /** Calls of the limited tool this member holds through the split. */
  static final int HOLDING = 2;

  /**
   * Starts the member.
   *
   * @param args the cluster's name and first port
   */
  public static void main(String[] args) throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(HOLDING);
    ToolRegistry tools =
        ToolRegistry.of(
            SplitBrainTest.limited(
                id -> {
                  started.countDown();
                  finish.await();
                }));
    ParallaxClusterBuilder b =
        ParallaxCluster.builder().clusterName(args[0]).port(Integer.parseInt(args[1]), 10);
    SplitBrainTest.options(b);
    ParallaxCluster member = b.tools(tools).start();
    say("READY " + member.memberId());
    AtomicBoolean probed = new AtomicBoolean();
    ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(8)
            .admissionControl(member.admissionControl())
            .build();
    member
        .hazelcast()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {}

              @Override
              public void memberRemoved(MembershipEvent event) {
                if (event.getMembers().size() == 1 && probed.compareAndSet(false, true)) {
                  Thread.ofVirtual().start(() -> probe(executor, tools));
                }
              }
            });
    member
        .hazelcast()
        .getLifecycleService()
        .addLifecycleListener(
            e -> {
              if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                say("MERGED " + member.memberId());
              }
            });
    CompletableFuture<RunResult> held =
        executor.executeParallelAsync(
            List.of(tools.call("hold-1", "limited", "1"), tools.call("hold-2", "limited", "2")));
    started.await();
    say("HOLDING " + HOLDING);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("finish")) {
      // wait for the test
    }
    finish.countDown();
    RunResult result = held.get();
    say(
        "DONE "
            + result.get("hold-1").status()
            + " "
            + result.get("hold-2").status()
            + " rejoins="
            + member.admissionCounters().get("rejoins"));
    in.readLine(); // the test kills the process
  }

  /** A call of the limited tool, tried once this member sees no other. */
  private static void probe(ToolExecutor executor, ToolRegistry tools) {
    say("ALONE");
    RunResult r = executor.executeParallel(List.of(tools.call("probe", "limited", "0")));
    CallResult<?> probe = r.get("probe");
    Throwable cause = probe.error();
    while (cause != null && cause.getCause() != null && !(cause instanceof SplitBrainException)) {
      cause = cause.getCause();
    }
    say(
        "PROBE "
            + probe.status()
            + " "
            + (cause == null ? "-" : cause.getClass().getName() + ": " + cause.getMessage()));
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  /** What a tool body does, given its call id. */
  interface Body {
    void run(String callId) throws Exception;
  }

  static Tool<Integer, Integer> tool(Body body) {
    return Tools.named("limited")
        .idempotent(true)
        .input(Integer.class)
        .function(
            (n, ctx) -> {
              if (!ctx.callId().equals("probe")) {
                body.run(ctx.callId());
              }
              return n;
            });
  }
}
