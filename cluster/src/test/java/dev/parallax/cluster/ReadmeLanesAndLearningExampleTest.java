package dev.parallax.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's lanes, resources and shared learning snippet (docs' ClusterLearningSnippet), run on
 * one loopback member (a fresh cluster name and a free port instead of the defaults).
 */
class ReadmeLanesAndLearningExampleTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void readmeLanesAndLearningSnippet_runs() {
    TestMembers test = new TestMembers();
    // --- README snippet begins
    Tool<String, String> sql =
        Tools.named("sql")
            .resources(Map.of("db", 1)) // each call holds one unit of db while it runs
            .input(String.class)
            .function((query, ctx) -> "rows of " + query);
    try (ParallaxCluster cluster =
            ParallaxCluster.builder()
                .clusterName(test.name)
                .port(test.port, 10)
                .property("hazelcast.wait.seconds.before.join", "0")
                .tools(ToolRegistry.of(sql))
                .resourceLimit("db", 8) // at most 8 units of db held across all members
                .laneLimit("query", 16) // at most 16 calls of the lane across all members
                .toolLane("sql", "query")
                .start();
        SharedLearning learning =
            SharedLearning.start(cluster, AdaptivePredictor.builder(), 500); // every 500 records
        ToolExecutor executor =
            ToolExecutor.builder()
                .admissionControl(cluster.admissionControl())
                .predictor(learning.predictor()) // the fleet's model, loaded on every member
                .recordSink(learning) // this member's records go to the trainer
                .build()) {
      RunResult run = executor.executeParallel(List.of(ToolCall.of("q1", sql, "orders today")));
      // --- README snippet ends
      assertThat(run.get("q1").value()).isEqualTo("rows of orders today");
      assertThat(learning.isTrainer()).isTrue(); // the only member is the oldest
      assertThat(cluster.resourceHeld("db")).isZero();
      assertThat(cluster.laneHeld("query")).isZero();
    }
  }
}
