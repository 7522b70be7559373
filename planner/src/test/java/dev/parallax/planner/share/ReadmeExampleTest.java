package dev.parallax.planner.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The snippet of docs-drafts/sched.md (the README section on shared scheduling), run. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeExampleTest {

  @Test
  void readmeSnippet_runsABatchAndAnInteractiveTurnOnOneSharedExecutor() {
    List<String> nightlyQueries = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      nightlyQueries.add("report " + i);
    }
    // --- snippet start ---
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
      // --- snippet end ---
      assertThat(turn.results().get(0).value()).isEqualTo("rows of orders today");
      assertThat(batch.join().results()).allMatch(r -> r.status() == CallStatus.SUCCEEDED);
    }
    SchedulerStats stats = shared.stats();
    assertThat(stats.resourcePeaks().get("db")).isBetween(1, 4);
    assertThat(stats.overAllocations()).isZero();
  }
}
