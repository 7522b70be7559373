package dev.parallax.docs.snippets;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.share.SharedScheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The README's shared scheduler: a background batch and an interactive turn on one executor. */
public class SharedSchedulerSnippet extends Fixtures {

  /** Runs the snippet; returns its scheduler with the interactive turn and the batch's result. */
  public Map.Entry<SharedScheduler, List<RunResult>> run(List<String> nightlyQueries) {
    // README:begin
    SharedScheduler shared =
        SharedScheduler.builder()
            .capacity(16) // calls running at once, all runs together
            .resource("db", 4) // named resources with their capacities
            .resource("gpu", 2)
            .lane("query", 2, 8) // 2 slots reserved for the lane, at most 8
            .capabilityLane("search", "query") // tools with capability "search" run in it
            .build();
    Tool<String, String> sql =
        Tools.named("sql")
            .resources(Map.of("db", 1)) // each call holds one unit of db while it runs
            .input(String.class)
            .function((query, ctx) -> "rows of " + query);
    try (ToolExecutor executor = ToolExecutor.builder().runScheduler(shared).build()) {
      CompletableFuture<RunResult> batch =
          executor.executeAsync(ExecutionPlan.batch(sql, nightlyQueries)); // priority 0
      RunResult turn =
          executor.execute(
              ExecutionPlan.parallel(List.of(ToolCall.of("q1", sql, "orders today")))
                  .withPriority(10)); // goes before the batch's waiting calls
      // README:end
      return Map.entry(shared, List.of(turn, batch.join()));
    }
  }
}
