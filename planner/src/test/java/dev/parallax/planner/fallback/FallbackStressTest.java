package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One policy shared by concurrent runs on real threads. */
class FallbackStressTest {

  private static final int THREADS = 8;
  private static final int RUNS_PER_THREAD = 25;
  private static final int CALLS_PER_RUN = 40;

  @Test
  void concurrentRuns_sharingOnePolicy_everyCallEndsOnce_succeeds_andNothingStaysTracked()
      throws Exception {
    Tool<Integer, String> primary =
        Tools.named("search_a")
            .input(Integer.class)
            .function(
                (in, ctx) -> {
                  if (in % 10 < 3) {
                    throw new IOException("flaky on " + in);
                  }
                  return "a:" + in;
                });
    Tool<Integer, String> backup =
        Tools.named("search_b").input(Integer.class).function((in, ctx) -> "b:" + in);
    ToolFallbacks policy = ToolFallbacks.builder().chain(primary, backup).build();
    Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();
    ExecutionListener counter =
        new ExecutionListener() {
          @Override
          public void onFinished(PendingCall call, CallResult<?> result) {
            finished
                .computeIfAbsent(call.runId() + "/" + call.callId(), k -> new AtomicInteger())
                .incrementAndGet();
          }
        };
    CountDownLatch go = new CountDownLatch(1);
    List<RunResult> results = new ArrayList<>();

    try (ToolExecutor executor = policy.attachTo(ToolExecutor.builder()).listener(counter).build();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
      List<Future<List<RunResult>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            threads.submit(
                () -> {
                  go.await();
                  List<RunResult> mine = new ArrayList<>();
                  for (int r = 0; r < RUNS_PER_THREAD; r++) {
                    List<ToolCall<?, ?>> calls = new ArrayList<>();
                    for (int i = 0; i < CALLS_PER_RUN; i++) {
                      calls.add(ToolCall.of("c" + i, primary, i));
                    }
                    mine.add(executor.executeParallel(calls));
                  }
                  return mine;
                }));
      }
      go.countDown();
      for (Future<List<RunResult>> future : futures) {
        results.addAll(future.get());
      }
    }

    int total = THREADS * RUNS_PER_THREAD * CALLS_PER_RUN;
    assertThat(results).allSatisfy(run -> assertThat(run.allSucceeded()).isTrue());
    assertThat(finished).hasSize(total);
    assertThat(finished.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(
            results.stream()
                .flatMap(run -> run.results().stream())
                .filter(r -> "search_b".equals(r.tool()))
                .count())
        .isEqualTo(total * 3 / 10);
    assertThat(policy.trackedCalls()).isZero();
  }
}
