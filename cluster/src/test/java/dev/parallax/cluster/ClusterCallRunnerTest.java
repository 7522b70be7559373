package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ClusterCallRunnerTest {

  /** An input that travels as JSON. */
  public record Query(String text, int page) {}

  /** The same tool on every member, telling which member ran it. */
  static Tool<Query, String> lookup(String member, CountDownLatch allStarted) {
    return Tools.named("lookup")
        .idempotent(true)
        .input(Query.class)
        .function(
            (q, ctx) -> {
              allStarted.countDown();
              allStarted.await(); // every call runs at once: placement cannot reuse a member
              return member + ":" + q.text() + "#" + q.page();
            });
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void calls_areRunOnTheLeastLoadedMembers_byToolNameAndJsonArguments() throws Exception {
    int calls = 9;
    CountDownLatch allStarted = new CountDownLatch(calls);
    try (TestMembers cluster = new TestMembers()) {
      ToolRegistry registry = ToolRegistry.of(lookup("a", allStarted));
      ParallaxCluster a = cluster.start(registry);
      cluster.start(ToolRegistry.of(lookup("b", allStarted)));
      cluster.start(ToolRegistry.of(lookup("c", allStarted)));
      try (ToolExecutor executor = ToolExecutor.builder().runner(a.callRunner()).build()) {
        List<ToolCall<?, ?>> batch = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
          batch.add(registry.call("c" + i, "lookup", "{\"text\":\"t\",\"page\":" + i + "}"));
        }
        RunResult result = executor.executeParallel(batch);
        assertThat(result.allSucceeded()).isTrue();
        Set<String> members = new HashSet<>();
        ConcurrentHashMap<String, Integer> perMember = new ConcurrentHashMap<>();
        for (int i = 0; i < calls; i++) {
          String value = (String) result.get("c" + i).value();
          assertThat(value).endsWith(":t#" + i);
          String member = value.substring(0, 1);
          members.add(member);
          perMember.merge(member, 1, Integer::sum);
        }
        assertThat(members).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(perMember.values()).containsOnly(3); // balanced by load
        assertThat(a.runnerCounters().get("sent")).isEqualTo(calls);
      }
    }
  }
}
