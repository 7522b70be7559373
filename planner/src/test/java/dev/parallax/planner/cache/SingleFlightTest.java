package dev.parallax.planner.cache;

import static dev.parallax.planner.cache.CacheTesting.WAIT_SECONDS;
import static dev.parallax.planner.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Identical calls that overlap in time share one run of the tool. */
class SingleFlightTest {

  private final AtomicInteger runs = new AtomicInteger();
  private final CountDownLatch toolStarted = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** Counts its run, then blocks until the test releases it; fails on its first run if told to. */
  private Tool<JsonNode, String> gated(String name, boolean failFirst) {
    return Tools.named(name)
        .idempotent(true)
        .cacheable(true)
        .function(
            (args, ctx) -> {
              int run = runs.incrementAndGet();
              toolStarted.countDown();
              release.await(WAIT_SECONDS, TimeUnit.SECONDS);
              if (failFirst && run == 1) {
                throw new IllegalStateException("backend down");
              }
              return "fresh:" + args.get("q").asText();
            });
  }

  @RepeatedTest(10)
  void sixtyFourConcurrentIdenticalCalls_runTheToolOnce() throws Exception {
    int callers = 64;
    ToolRegistry registry = ToolRegistry.of(gated("search", false));
    CountDownLatch joined = new CountDownLatch(callers - 1);
    CaffeineResultCache cache = CaffeineResultCache.builder().onJoin(joined::countDown).build();
    List<ToolCall<?, ?>> calls =
        IntStream.range(0, callers)
            .<ToolCall<?, ?>>mapToObj(i -> registry.call("c" + i, "search", "{\"q\":\"jvm\"}"))
            .toList();
    try (ToolExecutor executor =
        ToolExecutor.builder()
            .maxConcurrency(callers)
            .timeSource(new VirtualTime())
            .resultCache(cache)
            .build()) {
      ToolRun run = executor.start(ExecutionPlan.parallel(calls));
      // the tool cannot return before the release: 63 callers wait for the first one's computation
      await(joined, "63 callers joined the first caller's computation");
      assertThat(run.isDone()).isFalse();
      release.countDown();
      RunResult result = run.result().get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertThat(runs).hasValue(1);
      assertThat(result.results())
          .allSatisfy(r -> assertThat(r.value()).isEqualTo("fresh:jvm"))
          .filteredOn(CallResult::cacheHit)
          .hasSize(callers - 1);
      assertThat(cache.stats()).isEqualTo(new ResultCacheStats(63, 1, 0, 0, 1, 0));
    }
  }

  @RepeatedTest(5)
  void identicalCallsDuringAFailure_allGetTheSameError_andTheNextCallRunsTheToolAgain()
      throws Exception {
    ToolRegistry registry = ToolRegistry.of(gated("search", true));
    CountDownLatch joined = new CountDownLatch(1);
    CaffeineResultCache cache = CaffeineResultCache.builder().onJoin(joined::countDown).build();
    try (ToolExecutor executor = CacheTesting.executor(cache)) {
      ToolRun run =
          executor.start(
              ExecutionPlan.parallel(
                  List.of(
                      registry.call("a", "search", "{\"q\":\"jvm\"}"),
                      registry.call("b", "search", "{\"q\":\"jvm\"}"))));
      await(joined, "the second caller joined the first one's computation");
      release.countDown();
      RunResult failed = run.result().get(WAIT_SECONDS, TimeUnit.SECONDS);

      assertThat(runs).hasValue(1);
      assertThat(failed.get("a").status()).isEqualTo(CallStatus.FAILED);
      assertThat(failed.get("b").status()).isEqualTo(CallStatus.FAILED);
      assertThat(failed.get("a").error()).hasMessage("backend down");
      assertThat(failed.get("b").error()).isSameAs(failed.get("a").error());

      RunResult next =
          executor.executeSequential(List.of(registry.call("c", "search", "{\"q\":\"jvm\"}")));
      assertThat(runs).hasValue(2);
      assertThat(next.get("c").value()).isEqualTo("fresh:jvm");
      assertThat(next.get("c").cacheHit()).isFalse();
      assertThat(cache.stats()).isEqualTo(new ResultCacheStats(0, 2, 0, 0, 1, 1));
    }
  }

  /** How the first caller stops waiting. */
  enum FirstCallerEnd {
    ATTEMPT_TIMEOUT,
    RUN_CANCELLED
  }

  @ParameterizedTest
  @EnumSource(FirstCallerEnd.class)
  void firstCallerGivingUp_doesNotCancelTheSharedWork(FirstCallerEnd end) throws Exception {
    ToolRegistry registry = ToolRegistry.of(gated("search", false));
    CountDownLatch secondJoined = new CountDownLatch(1);
    CaffeineResultCache cache =
        CaffeineResultCache.builder().onJoin(secondJoined::countDown).build();
    VirtualTime time = new VirtualTime();
    try (ToolExecutor impatient =
            ToolExecutor.builder()
                .timeSource(time)
                .attemptTimeout(Duration.ofSeconds(1))
                .resultCache(cache)
                .build();
        ToolExecutor patient = ToolExecutor.builder().timeSource(time).resultCache(cache).build()) {
      ToolRun first =
          impatient.start(
              ExecutionPlan.parallel(List.of(registry.call("a", "search", "{\"q\":\"jvm\"}"))));
      await(toolStarted, "the first caller's computation started");
      ToolRun second =
          patient.start(
              ExecutionPlan.parallel(List.of(registry.call("b", "search", "{\"q\":\"jvm\"}"))));
      await(secondJoined, "the second caller joined the first one's computation");

      switch (end) {
        case ATTEMPT_TIMEOUT -> time.advance(Duration.ofSeconds(1));
        case RUN_CANCELLED -> first.cancel();
      }
      CallResult<?> a = first.result().get(WAIT_SECONDS, TimeUnit.SECONDS).get("a");
      assertThat(a.status())
          .isEqualTo(
              end == FirstCallerEnd.ATTEMPT_TIMEOUT ? CallStatus.TIMED_OUT : CallStatus.CANCELLED);
      assertThat(second.isDone()).as("the second caller still waits").isFalse();

      release.countDown();
      CallResult<?> b = second.result().get(WAIT_SECONDS, TimeUnit.SECONDS).get("b");
      assertThat(b.status()).isEqualTo(CallStatus.SUCCEEDED);
      assertThat(b.value()).isEqualTo("fresh:jvm");
      assertThat(b.cacheHit()).isTrue();

      CallResult<?> later =
          patient
              .executeSequential(List.of(registry.call("c", "search", "{\"q\":\"jvm\"}")))
              .get("c");
      assertThat(later.cacheHit()).as("stored although its first caller gave up").isTrue();
      assertThat(runs).hasValue(1);
    }
  }
}
