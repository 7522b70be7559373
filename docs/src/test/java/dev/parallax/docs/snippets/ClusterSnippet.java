package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.cluster.ParallaxCluster;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;

/**
 * The README's cluster member (compiled; cluster's ReadmeExampleTest runs its twin on one member,
 * without split-brain protection, which a lone member would refuse).
 */
public class ClusterSnippet extends Fixtures {

  RunResult run() {
    // README:begin
    Tool<String, String> search =
        Tools.named("search")
            .idempotent(true)
            .cacheable(true)
            .input(String.class)
            .function((query, ctx) -> "results for " + query);
    try (ParallaxCluster cluster =
            ParallaxCluster.builder()
                .clusterName("agents") // members join only their own cluster
                .members("10.0.0.5:5701", "10.0.0.6:5701", "10.0.0.7:5701")
                .bindAddress("10.0.0.5") // this server
                .tools(ToolRegistry.of(search)) // the same tools on every member
                .toolLimit("search", 20) // at most 20 at once across all members
                .cacheTtl("search", Duration.ofMinutes(5)) // shared cache, single flight
                .splitBrainProtection(2) // of 3: a member that sees fewer than 2 refuses permits
                .start();
        Parallax parallax =
            Parallax.builder()
                .cluster(cluster) // admission, cache, runner and shared learning
                .sharedRetrainEvery(500) // the oldest member trains every 500 records of the fleet
                .build()) {
      RunResult run =
          parallax
              .executor()
              .executeParallel(
                  List.of(ToolCall.of("1", search, "hazelcast"), ToolCall.of("2", search, "java")));
      // README:end
      return run;
    }
  }
}
