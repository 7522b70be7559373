package dev.parallax;

import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.List;

/**
 * The snippet of {@code docs-drafts/cluster5.md} for the root README (compiled here; the options
 * run in {@code ParallaxSharedLearningTest} and cluster's {@code SplitBrainTest}).
 */
final class ReadmeClusterSnippet {

  private ReadmeClusterSnippet() {}

  static RunResult run() {
    // README:begin
    Tool<String, String> search =
        Tools.named("search")
            .idempotent(true)
            .input(String.class)
            .function((query, ctx) -> "results for " + query);
    try (ParallaxCluster cluster =
            ParallaxCluster.builder()
                .clusterName("agents")
                .members("10.0.0.5:5701", "10.0.0.6:5701", "10.0.0.7:5701")
                .bindAddress("10.0.0.5") // this server
                .tools(ToolRegistry.of(search))
                .toolLimit("search", 20) // at most 20 at once across all members
                .splitBrainProtection(2) // of 3: a member that sees fewer than 2 refuses permits
                .start();
        Parallax parallax =
            Parallax.builder()
                .cluster(cluster) // admission, cache, runner and shared learning
                .sharedRetrainEvery(500) // the oldest member trains every 500 records of the fleet
                .build()) {
      return parallax.executor().executeParallel(List.of(ToolCall.of("1", search, "hazelcast")));
    }
    // README:end
  }
}
