package dev.parallax.planner.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads start many runs on real virtual threads sharing one scheduler, with cancellations,
 * timeouts and failures mixed in: the capacity, every lane maximum and every resource is checked by
 * the tools themselves on every call, and every call must end exactly once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedSchedulerStressTest {

  private static final int CAPACITY = 6;
  private static final Map<String, Integer> RESOURCES = Map.of("db", 2, "gpu", 3);

  /** Counters the tools keep while their bodies run. */
  private static final class Usage {
    final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    void enter(String key, int units, int limit) {
      int n = now.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(units);
      if (n > limit) {
        violations.add(key + " at " + n + " > " + limit);
      }
    }

    void exit(String key, int units) {
      now.get(key).addAndGet(-units);
    }
  }

  /** A tool holding resources that spins briefly (ignoring interrupts) and sometimes fails. */
  private record Worker(ToolSpec spec, Usage usage, String lane, int laneMax)
      implements Tool<Integer, Integer> {
    @Override
    public Integer call(Integer input, ToolContext context) {
      usage.enter("*", 1, CAPACITY);
      usage.enter("lane:" + lane, 1, laneMax);
      spec.resources().forEach((r, n) -> usage.enter(r, n, RESOURCES.get(r)));
      try {
        LockSupport.parkNanos(20_000L * (input % 7)); // a little work; interrupts are not heeded
        if (input % 13 == 0) {
          throw new IllegalStateException("fails on purpose");
        }
        return input;
      } finally {
        spec.resources().forEach((r, n) -> usage.exit(r, n));
        usage.exit("lane:" + lane, 1);
        usage.exit("*", 1);
      }
    }
  }

  @RepeatedTest(3)
  void manyRunsOnManyThreads_neverExceedALimit_andEveryCallEndsOnce() throws Exception {
    Usage usage = new Usage();
    List<Worker> tools =
        List.of(
            new Worker(spec("q", Map.of("db", 1)), usage, "query", 3),
            new Worker(spec("qq", Map.of("db", 2)), usage, "query", 3),
            new Worker(spec("g", Map.of("gpu", 2)), usage, "generate", 4),
            new Worker(spec("gd", Map.of("gpu", 1, "db", 1)), usage, "generate", 4),
            new Worker(spec("x", Map.of()), usage, "default", CAPACITY));
    SharedScheduler shared =
        SharedScheduler.builder()
            .capacity(CAPACITY)
            .resource("db", 2)
            .resource("gpu", 3)
            .lane("query", 1, 3)
            .lane("generate", 1, 4)
            .toolLane("q", "query")
            .toolLane("qq", "query")
            .toolLane("g", "generate")
            .toolLane("gd", "generate")
            .agingInterval(Duration.ofMillis(5))
            .build();
    Map<String, AtomicInteger> ends = new ConcurrentHashMap<>();
    ExecutionListener listener =
        new ExecutionListener() {
          @Override
          public void onFinished(PendingCall call, CallResult<?> result) {
            ends.computeIfAbsent(call.runId() + "/" + call.callId(), k -> new AtomicInteger())
                .incrementAndGet();
          }

          @Override
          public void onSkipped(PendingCall call, CallResult<?> result) {
            onFinished(call, result);
          }
        };
    int threads = 8;
    int runsPerThread = 25;
    int callsPerRun = 12;
    try (ToolExecutor executor =
            ToolExecutor.builder()
                .runScheduler(shared)
                .listener(listener)
                .attemptTimeout(Duration.ofMillis(50))
                .maxConcurrency(4)
                .build();
        ExecutorService submitters = Executors.newFixedThreadPool(threads)) {
      List<Future<List<RunResult>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int seed = t;
        futures.add(
            submitters.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  List<RunResult> results = new ArrayList<>();
                  for (int r = 0; r < runsPerThread; r++) {
                    List<ToolCall<?, ?>> calls = new ArrayList<>();
                    for (int i = 0; i < callsPerRun; i++) {
                      Worker tool = tools.get(random.nextInt(tools.size()));
                      calls.add(ToolCall.of("c" + i, tool, random.nextInt(1, 100)));
                    }
                    ExecutionPlan plan =
                        ExecutionPlan.parallel(calls).withPriority(random.nextInt(-2, 3));
                    ToolRun run = executor.start(plan);
                    if (random.nextInt(6) == 0) {
                      run.cancel();
                    }
                    results.add(run.result().join());
                  }
                  return results;
                }));
      }
      int calls = 0;
      for (Future<List<RunResult>> f : futures) {
        for (RunResult result : f.get()) {
          calls += result.results().size();
          assertThat(result.results())
              .allMatch(
                  c ->
                      c.status() == CallStatus.SUCCEEDED
                          || c.status() == CallStatus.FAILED
                          || c.status() == CallStatus.CANCELLED
                          || c.status() == CallStatus.TIMED_OUT);
        }
      }
      assertThat(calls).isEqualTo(threads * runsPerThread * callsPerRun);
      assertThat(ends).hasSize(calls).allSatisfy((k, n) -> assertThat(n.get()).isEqualTo(1));
    }
    assertThat(usage.violations).isEmpty();
    SchedulerStats stats = shared.stats();
    assertThat(stats.overAllocations()).isZero();
    assertThat(stats.peakInUse()).isLessThanOrEqualTo(CAPACITY);
    assertThat(stats.waitingCalls()).isZero();
    assertThat(stats.callbackFailures()).isZero();
  }

  private static ToolSpec spec(String name, Map<String, Integer> resources) {
    return ToolSpec.builder(name).inputType(Integer.class).resources(resources).build();
  }
}
