package dev.parallax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import dev.parallax.planner.share.SharedScheduler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade's {@code runScheduler(...)}: one shared scheduler for all of its runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallaxRunSchedulerOptionTest {

  @Test
  void runScheduler_limitsEveryRunOfTheFacade() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Tool<Integer, Integer> work =
        Tools.named("work")
            .input(Integer.class)
            .function(
                (n, ctx) -> {
                  peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                  running.decrementAndGet();
                  return n;
                });
    SharedScheduler shared = SharedScheduler.builder().capacity(1).build();
    try (Parallax parallax = Parallax.builder().runScheduler(shared).warmStart(false).build()) {
      RunResult run =
          parallax
              .executor()
              .executeParallel(
                  IntStream.range(0, 8).mapToObj(i -> ToolCall.of("c" + i, work, i)).toList());
      assertThat(run.allSucceeded()).isTrue();
    }
    assertThat(peak).hasValue(1);
    assertThat(shared.stats().grants()).isEqualTo(8); // every call went through the scheduler
    assertThat(shared.stats().peakInUse()).isEqualTo(1);
    assertThat(shared.stats().overAllocations()).isZero();
  }

  @Test
  void runScheduler_setTwice_failsTheBuildNamingBoth() {
    SharedScheduler shared = SharedScheduler.builder().capacity(2).build();
    assertThatIllegalStateException()
        .isThrownBy(
            () ->
                Parallax.builder()
                    .runScheduler(shared)
                    .executor(b -> b.runScheduler(shared))
                    .warmStart(false)
                    .build())
        .withMessageContaining("runScheduler(...) set both through executor(...)");
  }
}
