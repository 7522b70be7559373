package dev.parallax.planner.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cache holds at most its size or weight; evictions run on the test's thread. */
class SizeBoundTest {

  /** Returns a 40-character text: 42 characters as JSON. */
  private final Tool<Integer, String> blob =
      Tools.named("blob")
          .idempotent(true)
          .cacheable(true)
          .input(Integer.class)
          .function((n, ctx) -> "x".repeat(39) + n % 10);

  private void callDistinct(CaffeineResultCache cache, int count) {
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      executor.executeSequential(
          IntStream.range(0, count)
              .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("c" + i, blob, i))
              .toList());
    }
    cache.cleanUp();
  }

  @Test
  void maximumSize_isRespected() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder().maximumSize(2).executor(Runnable::run).build();
    callDistinct(cache, 5);

    assertThat(cache.estimatedSize()).isEqualTo(2);
    assertThat(cache.stats().evictions()).isEqualTo(3);
    assertThat(cache.stats().loads()).isEqualTo(5);
  }

  @Test
  void maximumWeight_boundsTheCharactersHeld() {
    // an entry weighs 4 ("blob") + 1 (the argument) + 42 (the value) = 47 characters
    CaffeineResultCache cache =
        CaffeineResultCache.builder().maximumWeight(100).executor(Runnable::run).build();
    callDistinct(cache, 2);
    assertThat(cache.estimatedSize()).isEqualTo(2);
    assertThat(cache.stats().evictions()).isZero();

    callDistinct(cache, 5);
    assertThat(cache.estimatedSize()).isEqualTo(2);
    assertThat(cache.stats().evictions()).isEqualTo(3);
  }

  @Test
  void anEntryHeavierThanTheBound_isNotKept_butItsCallerGetsTheValue() {
    CaffeineResultCache cache =
        CaffeineResultCache.builder().maximumWeight(46).executor(Runnable::run).build();
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      var result = executor.executeSequential(List.of(ToolCall.of("c", blob, 7))).get("c");
      assertThat(result.value()).isEqualTo("x".repeat(39) + 7);
    }
    cache.cleanUp();
    assertThat(cache.estimatedSize()).isZero();
  }
}
