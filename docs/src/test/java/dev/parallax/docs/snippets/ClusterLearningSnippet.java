package dev.parallax.docs.snippets;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.cluster.learning.SharedLearning;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.Map;

/**
 * The README's cluster with lanes, named resources and shared learning (compiled; cluster's
 * ReadmeLanesAndLearningExampleTest runs its twin on loopback).
 */
public class ClusterLearningSnippet extends Fixtures {

  RunResult run() {
    // README:begin
    Tool<String, String> sql =
        Tools.named("sql")
            .resources(Map.of("db", 1)) // each call holds one unit of db while it runs
            .input(String.class)
            .function((query, ctx) -> "rows of " + query);
    try (ParallaxCluster cluster =
            ParallaxCluster.builder()
                .clusterName("agents")
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
      // README:end
      return run;
    }
  }
}
