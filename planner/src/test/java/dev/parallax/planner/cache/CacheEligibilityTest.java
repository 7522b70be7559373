package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What is never cached: failures, tools not declared safe to cache, inputs without a key. */
class CacheEligibilityTest {

  private final AtomicInteger runs = new AtomicInteger();
  private final CaffeineResultCache cache = CaffeineResultCache.builder().build();

  private Tool<Object, String> tool(boolean cacheable, boolean idempotent) {
    return Tools.named("echo")
        .cacheable(cacheable)
        .idempotent(idempotent)
        .input(Object.class)
        .function((in, ctx) -> "run " + runs.incrementAndGet());
  }

  /** Calls the tool twice, one call after the other, each in a run of its own. */
  private List<CallResult<?>> twice(Tool<Object, String> tool, Object input) {
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      return List.of(
          executor.executeSequential(List.of(ToolCall.of("first", tool, input))).get("first"),
          executor.executeSequential(List.of(ToolCall.of("second", tool, input))).get("second"));
    }
  }

  @Test
  void failedCall_isNotCached_theNextCallRunsTheToolAgain() {
    Tool<Object, String> flaky =
        Tools.named("flaky")
            .cacheable(true)
            .idempotent(true)
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("backend down");
                  }
                  return "ok";
                });

    List<CallResult<?>> results = twice(flaky, "q");

    assertThat(results.get(0).status()).isEqualTo(CallStatus.FAILED);
    assertThat(results.get(1).value()).isEqualTo("ok");
    assertThat(results.get(1).cacheHit()).isFalse();
    assertThat(runs).hasValue(2);
    assertThat(cache.estimatedSize()).isEqualTo(1);
    assertThat(cache.stats()).isEqualTo(new ResultCacheStats(0, 2, 0, 0, 1, 1));
  }

  @ParameterizedTest(name = "cacheable={0}, idempotent={1}")
  @CsvSource({"true, false", "false, true", "false, false"})
  void toolNotBothCacheableAndIdempotent_runsEveryTime(boolean cacheable, boolean idempotent) {
    List<CallResult<?>> results = twice(tool(cacheable, idempotent), "q");

    assertThat(results.stream().<Object>map(CallResult::value).toList())
        .containsExactly("run 1", "run 2");
    assertThat(results).noneMatch(CallResult::cacheHit);
    assertThat(cache.estimatedSize()).isZero();
    assertThat(cache.stats()).isEqualTo(new ResultCacheStats(0, 0, 0, 0, 0, 0));
  }

  /** Refers to itself through another instance. */
  public static final class Link {
    public Link other = this;
  }

  @Test
  void inputsJacksonCannotWrite_runUncached_andAreCounted() {
    Map<String, Object> cyclicMap = new HashMap<>();
    cyclicMap.put("self", cyclicMap);
    Link cyclic = new Link();
    cyclic.other = new Link();
    cyclic.other.other = cyclic;
    Tool<Object, String> echo = tool(true, true);

    for (Object input : List.of(new Object(), cyclicMap, cyclic)) {
      List<CallResult<?>> results = twice(echo, input);
      assertThat(results).allMatch(CallResult::isSuccess).noneMatch(CallResult::cacheHit);
    }
    assertThat(runs).hasValue(6);
    assertThat(cache.stats()).isEqualTo(new ResultCacheStats(0, 0, 6, 0, 0, 0));
  }

  @Test
  void nullResult_isCachedLikeAnyOther() {
    Tool<Object, String> nothing =
        Tools.named("nothing")
            .cacheable(true)
            .idempotent(true)
            .input(Object.class)
            .function(
                (in, ctx) -> {
                  runs.incrementAndGet();
                  return null;
                });

    List<CallResult<?>> results = twice(nothing, "q");

    assertThat(results.get(1).cacheHit()).isTrue();
    assertThat(results.get(1).value()).isNull();
    assertThat(runs).hasValue(1);
  }
}
