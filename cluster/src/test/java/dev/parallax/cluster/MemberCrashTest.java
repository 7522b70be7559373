package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member process killed (SIGKILL) mid-batch: idempotent calls that were running there run again
 * on the survivor, non-idempotent ones fail with a {@link MemberLostException}; none is lost and no
 * non-idempotent call runs twice.
 */
class MemberCrashTest {

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void memberProcessKilledMidBatch_idempotentCallsRerun_othersFailClearly_noneLost()
      throws Exception {
    int calls = 20;
    CountDownLatch allStarted = new CountDownLatch(calls);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch childLeft = new CountDownLatch(1);
    try (TestMembers cluster = new TestMembers()) {
      ParallaxCluster[] self = new ParallaxCluster[1];
      ToolRegistry tools =
          CrashMemberMain.tools(
              "parent", release::await, () -> self[0].hazelcast().getMap(CrashMemberMain.STARTS));
      ParallaxCluster parent = cluster.start(tools);
      self[0] = parent;
      IMap<String, String> starts = parent.hazelcast().getMap(CrashMemberMain.STARTS);
      starts.addEntryListener(
          (EntryAddedListener<String, String>)
              (EntryEvent<String, String> e) -> allStarted.countDown(),
          false);

      Process child = startChild(cluster);
      try {
        parent
            .hazelcast()
            .getCluster()
            .addMembershipListener(
                new MembershipListener() {
                  @Override
                  public void memberAdded(MembershipEvent event) {}

                  @Override
                  public void memberRemoved(MembershipEvent event) {
                    childLeft.countDown();
                  }
                });
        assertThat(parent.memberCount()).isEqualTo(2);
        TestMembers.awaitSafe(parent);

        try (ToolExecutor executor =
            ToolExecutor.builder().maxConcurrency(calls).runner(parent.callRunner()).build()) {
          List<ToolCall<?, ?>> batch = new ArrayList<>();
          for (int i = 0; i < calls; i++) {
            String tool = (i / 2) % 2 == 0 ? "fetch" : "charge"; // f f c c f f c c ...
            batch.add(tools.call("c" + i, tool, Integer.toString(i)));
          }
          CompletableFuture<RunResult> run = executor.executeParallelAsync(batch);
          allStarted.await(); // every call is running, on one member or the other
          child.destroyForcibly(); // a crash: SIGKILL
          childLeft.await();
          release.countDown();
          RunResult result = run.get();

          Map<String, List<String>> ranOn = byCall(starts);
          int onChild = 0;
          for (int i = 0; i < calls; i++) {
            String id = "c" + i;
            CallResult<?> r = result.get(id); // none lost: every call has its result
            List<String> members = ranOn.getOrDefault(id, List.of());
            boolean idempotent = batch.get(i).tool().spec().idempotent();
            if (members.contains("child")) {
              onChild++;
              if (idempotent) {
                assertThat(r.status()).as(id).isEqualTo(CallStatus.SUCCEEDED);
                assertThat(members).as(id).containsExactlyInAnyOrder("child", "parent");
                assertThat(r.value()).isEqualTo("fetch " + i + " on parent");
              } else {
                assertThat(r.status()).as(id).isEqualTo(CallStatus.FAILED);
                assertThat(r.error())
                    .isInstanceOf(MemberLostException.class)
                    .hasMessageContaining("left the cluster while running call " + id)
                    .hasMessageContaining("not idempotent");
                assertThat(members).as(id).containsExactly("child"); // never run twice
              }
            } else {
              assertThat(r.status()).as(id).isEqualTo(CallStatus.SUCCEEDED);
              assertThat(members).as(id).containsExactly("parent");
            }
          }
          assertThat(onChild).isPositive();
          assertThat(parent.runnerCounters().get("lost") + parent.runnerCounters().get("rerun"))
              .isEqualTo(onChild);
        }
      } finally {
        release.countDown();
        child.destroyForcibly();
        child.waitFor();
      }
    }
  }

  /** The members each call started on, by call id. */
  private static Map<String, List<String>> byCall(IMap<String, String> starts) {
    return starts.entrySet().stream()
        .collect(
            Collectors.groupingBy(
                e -> e.getKey().substring(0, e.getKey().indexOf('@')),
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }

  private static Process startChild(TestMembers cluster) throws Exception {
    Process child = cluster.startChildJvm(CrashMemberMain.class, "crash-member.err");
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY")) {
      // the child's other output
    }
    if (line == null) {
      throw new IllegalStateException(
          "the member process ended before joining; see target/crash-member.err");
    }
    return child;
  }
}
