package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.ToolRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which calls share a key, through LLM-style calls made with {@link ToolRegistry}. */
class CacheKeyTest {

  private final AtomicInteger runs = new AtomicInteger();
  private final ToolRegistry registry = ToolRegistry.of(CacheTesting.counting("search", runs));
  private final CaffeineResultCache cache = CaffeineResultCache.builder().build();

  @Test
  void sameMembersInAnotherOrder_areOneKey() {
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      RunResult run =
          executor.executeSequential(
              List.of(
                  registry.call(
                      "1",
                      "search",
                      "{\"q\":\"jvm\",\"limit\":5,\"filter\":{\"lang\":\"en\",\"year\":2024}}"),
                  registry.call(
                      "2",
                      "search",
                      "{\"filter\":{\"year\":2024,\"lang\":\"en\"},\"limit\":5,\"q\":\"jvm\"}")));

      assertThat(runs).hasValue(1);
      assertThat(run.get("1").cacheHit()).isFalse();
      assertThat(run.get("2").cacheHit()).isTrue();
      assertThat(run.get("2").value()).isEqualTo(run.get("1").value());
    }
  }

  @Test
  void differentArguments_areDifferentKeys() {
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      RunResult run =
          executor.executeSequential(
              List.of(
                  registry.call("1", "search", "{\"q\":\"jvm\",\"pages\":[1,2]}"),
                  registry.call("2", "search", "{\"q\":\"jvm\",\"pages\":[2,1]}"),
                  registry.call("3", "search", "{\"q\":\"JVM\",\"pages\":[1,2]}"),
                  registry.call("4", "search", "{\"q\":\"jvm\",\"pages\":[1,2],\"x\":null}"),
                  registry.call("5", "search", "{\"q\":\"jvm\",\"pages\":[1,2.0]}")));

      assertThat(runs).hasValue(5);
      assertThat(run.results()).noneMatch(CallResult::cacheHit);
    }
  }

  @Test
  void sameArgumentsForAnotherTool_areAnotherKey() {
    AtomicInteger otherRuns = new AtomicInteger();
    ToolRegistry two =
        ToolRegistry.of(
            CacheTesting.counting("search", runs), CacheTesting.counting("lookup", otherRuns));
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      executor.executeSequential(
          List.of(two.call("1", "search", "{\"q\":1}"), two.call("2", "lookup", "{\"q\":1}")));
    }
    assertThat(runs).hasValue(1);
    assertThat(otherRuns).hasValue(1);
  }
}
