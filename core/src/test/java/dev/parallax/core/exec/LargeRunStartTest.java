package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.Tools;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A run with many calls starts its attempts batch by batch while it is still launching the later
 * ones (issue 12, overhead), and still tells every attempt's start to the listeners before the tool
 * body runs.
 */
class LargeRunStartTest {

  private static final int CALLS = 1_000;

  @Test
  void largeRun_firstToolsRunWhileLaterCallsAreStillLaunched() {
    CountDownLatch firstToolRan = new CountDownLatch(1);
    AtomicBoolean firstRanBeforeLastLaunched = new AtomicBoolean();
    Tool<Integer, Integer> tool =
        Tools.named("echo")
            .input(Integer.class)
            .function(
                (in, ctx) -> {
                  if (in == 0) {
                    firstToolRan.countDown();
                  }
                  return in;
                });
    ExecutionListener waitsAtTheLastLaunch =
        new ExecutionListener() {
          @Override
          public void onStarted(PendingCall call, int attempt) {
            if (call.index() == CALLS - 1) {
              // still inside the event launching every call: the first tool can only have run if
              // its attempt was started before that event ended
              try {
                firstRanBeforeLastLaunched.set(firstToolRan.await(10, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    List<ToolCall<Integer, Integer>> calls =
        IntStream.range(0, CALLS).mapToObj(i -> ToolCall.of("c" + i, tool, i)).toList();

    RunResult run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              try (ToolExecutor executor =
                  ToolExecutor.builder()
                      .maxConcurrency(CALLS)
                      .listener(waitsAtTheLastLaunch)
                      .build()) {
                return executor.executeParallel(calls);
              }
            });

    assertThat(firstRanBeforeLastLaunched).isTrue();
    assertThat(run.report().count(CallStatus.SUCCEEDED)).isEqualTo(CALLS);
  }

  @Test
  void largeRun_everyAttemptsStartIsToldBeforeItsToolRuns() {
    Set<Integer> told = ConcurrentHashMap.newKeySet();
    Set<Integer> ranBeforeTold = ConcurrentHashMap.newKeySet();
    Tool<Integer, Integer> tool =
        Tools.named("echo")
            .input(Integer.class)
            .function(
                (in, ctx) -> {
                  if (!told.contains(in)) {
                    ranBeforeTold.add(in);
                  }
                  return in;
                });
    ExecutionListener tells =
        new ExecutionListener() {
          @Override
          public void onStarted(PendingCall call, int attempt) {
            told.add(call.index());
          }
        };
    List<ToolCall<Integer, Integer>> calls =
        IntStream.range(0, CALLS).mapToObj(i -> ToolCall.of("c" + i, tool, i)).toList();

    RunResult run =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              try (ToolExecutor executor =
                  ToolExecutor.builder().maxConcurrency(CALLS).listener(tells).build()) {
                return executor.executeParallel(calls);
              }
            });

    assertThat(ranBeforeTold).isEmpty();
    assertThat(told).hasSize(CALLS);
    assertThat(run.report().count(CallStatus.SUCCEEDED)).isEqualTo(CALLS);
  }
}
