package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.parallax.cluster.internal.Names;
import dev.parallax.cluster.internal.Permits;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real split brain: three members (two in this JVM, one in a child JVM). The child holds permits;
 * it is frozen (SIGSTOP) until the others declare it dead and end its lease, then resumed (SIGCONT)
 * so that it finds itself alone: with split-brain protection it refuses new permits with a clear
 * error instead of admitting up to the limit next to the majority. When the split heals it merges
 * back and re-registers the permits its running calls hold under its new UUID, so the count is
 * exact: none leaked, none counted twice.
 */
class SplitBrainTest {

  /** The cluster-wide limit of the {@code limited} tool. */
  static final int LIMIT = 4;

  /** The options of every member of this test: quick failure detection, quick merges. */
  static ParallaxClusterBuilder options(ParallaxClusterBuilder b) {
    TestMembers.quick(b);
    return b.toolLimit("limited", LIMIT)
        .splitBrainProtection(2)
        .property("hazelcast.merge.first.run.delay.seconds", "2")
        .property("hazelcast.merge.next.run.delay.seconds", "2");
  }

  static Tool<Integer, Integer> limited(SplitBrainMemberMain.Body body) {
    return SplitBrainMemberMain.tool(body);
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void splitBrain_minorityRefusesPermitsClearly_andAfterTheMergeNoPermitIsLeakedOrCountedTwice()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(LIMIT);
    ToolRegistry tools =
        ToolRegistry.of(
            limited(
                id -> {
                  started.countDown();
                  release.await();
                }));
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster a = cluster.start(tools, SplitBrainTest::options);
      ParallaxCluster b = cluster.start(tools, SplitBrainTest::options);
      CountDownLatch childLeft = new CountDownLatch(1);
      CountDownLatch childBack = new CountDownLatch(1);
      Process child = cluster.startChildJvm(SplitBrainMemberMain.class, "split-brain-member.err");
      BlockingQueue<String> lines = lines(child);
      try (Writer toChild =
          new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
        String childId = expect(lines, "READY ").substring("READY ".length());
        a.hazelcast()
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {
                    if (!event.getMember().getUuid().equals(b.memberId())) {
                      childBack.countDown();
                    }
                  }

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    if (event.getMember().getUuid().toString().equals(childId)) {
                      childLeft.countDown();
                    }
                  }
                });
        assertThat(a.memberCount()).isEqualTo(3);
        expect(lines, "HOLDING ");
        awaitHeld(a, SplitBrainMemberMain.HOLDING);
        TestMembers.awaitSafe(a);

        signal("STOP", child); // frozen: the others stop hearing its heartbeats
        childLeft.await();
        awaitHeld(a, 0); // its lease ended with it

        try (ToolExecutor executor =
            ToolExecutor.builder()
                .maxConcurrency(16)
                .admissionControl(a.admissionControl())
                .build()) {
          List<ToolCall<?, ?>> calls = new ArrayList<>();
          for (int i = 0; i < LIMIT; i++) {
            calls.add(tools.call("a" + i, "limited", Integer.toString(i)));
          }
          CompletableFuture<RunResult> majority = executor.executeParallelAsync(calls);
          started.await(); // the majority side admits up to the limit
          awaitHeld(a, LIMIT);

          signal("CONT", child); // it wakes up cut off, and finds itself alone
          expect(lines, "ALONE");
          String probe = expect(lines, "PROBE ");
          assertThat(probe)
              .startsWith("PROBE FAILED " + SplitBrainException.class.getName())
              .contains("refused a permit of 'limited'")
              .contains("split-brain protection")
              .contains("sees 1 member(s)");

          childBack.await(); // the split healed: it merged back, with a new UUID
          String merged = expect(lines, "MERGED ");
          assertThat(merged).isNotEqualTo("MERGED " + childId);
          // the majority's permits and the child's running calls, each counted once
          awaitHeld(a, LIMIT + SplitBrainMemberMain.HOLDING);
          assertThat(b.permitsHeld("limited")).isEqualTo(LIMIT + SplitBrainMemberMain.HOLDING);

          toChild.write("finish\n");
          toChild.flush();
          assertThat(expect(lines, "DONE ")).isEqualTo("DONE SUCCEEDED SUCCEEDED rejoins=1");
          awaitHeld(a, LIMIT); // given back under its new UUID: nothing left of the child

          release.countDown();
          RunResult result = majority.get();
          for (int i = 0; i < LIMIT; i++) {
            assertThat(result.get("a" + i).status()).isEqualTo(CallStatus.SUCCEEDED);
          }
          awaitHeld(a, 0);
          assertThat(b.permitsHeld("limited")).isZero();
        }
      } finally {
        release.countDown();
        signal("CONT", child);
        child.destroyForcibly();
        child.waitFor();
      }
    }
  }

  /** Waits (on the permits map's events) until the tool's permits across the cluster are n. */
  private static void awaitHeld(ParallaxCluster member, int n) throws InterruptedException {
    IMap<String, Permits> permits = member.hazelcast().getMap(Names.PERMITS);
    CountDownLatch reached = new CountDownLatch(1);
    EntryUpdatedListener<String, Permits> updated =
        (EntryEvent<String, Permits> e) -> {
          if (e.getKey().equals("limited") && e.getValue().total() == n) {
            reached.countDown();
          }
        };
    EntryAddedListener<String, Permits> added =
        (EntryEvent<String, Permits> e) -> updated.entryUpdated(e);
    UUID l1 = permits.addEntryListener(updated, true);
    UUID l2 = permits.addEntryListener(added, true);
    try {
      if (member.permitsHeld("limited") != n) {
        reached.await();
      }
    } finally {
      permits.removeEntryListener(l1);
      permits.removeEntryListener(l2);
    }
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    kill.getInputStream().readAllBytes();
    kill.waitFor();
  }

  /** The child's stdout, line by line, read on a thread of its own. */
  private static BlockingQueue<String> lines(Process child) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  lines.add(line);
                }
              } catch (java.io.IOException e) {
                // the child is gone
              }
              lines.add("EOF");
            });
    return lines;
  }

  /** The next line of the child that starts with the prefix (the test's timeout bounds it). */
  private static String expect(BlockingQueue<String> lines, String prefix)
      throws InterruptedException {
    while (true) {
      String line = lines.take();
      if (line.startsWith(prefix)) {
        return line;
      }
      if (line.equals("EOF")) {
        throw new AssertionError(
            "the member process ended before '" + prefix + "'; see target/split-brain-member.err");
      }
    }
  }
}
