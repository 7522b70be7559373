package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The snippet of cluster/README.md, run on one loopback member. */
class ReadmeExampleTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void readmeSnippet_runs() throws Exception {
    TestMembers test = new TestMembers();
    String name = test.name;
    int port = test.port;
    // --- README snippet begins
    Tool<String, String> search =
        Tools.named("search")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function((query, ctx) -> "results for " + query);
    ToolRegistry tools = ToolRegistry.of(search); // the same tools on every member

    try (ParallaxCluster cluster =
            ParallaxCluster.builder()
                .clusterName(name) // members join only their own cluster
                .port(port, 10) // default 5701 and the 19 after it
                .tools(tools)
                .toolLimit("search", 20) // at most 20 at once across all members
                .cacheTtl("search", Duration.ofMinutes(5))
                .property("hazelcast.wait.seconds.before.join", "0")
                .start();
        ToolExecutor executor =
            ToolExecutor.builder()
                .admissionControl(cluster.admissionControl())
                .resultCache(cluster.resultCache())
                .runner(cluster.callRunner())
                .build()) {
      RunResult run =
          executor.executeParallel(
              List.of(ToolCall.of("1", search, "hazelcast"), ToolCall.of("2", search, "java")));
      // --- README snippet ends
      assertThat(run.allSucceeded()).isTrue();
      assertThat(run.get("1").value()).isEqualTo("results for hazelcast");
    }
  }
}
