package dev.parallax.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.call.ToolTimeoutException;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.testing.Sim;
import dev.parallax.core.testing.Sim.IndependentMode;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.testing.SimTool.Step;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The six scenarios of the design Parallax started from, in virtual time: the real executor with
 * tools whose durations are scripted, so elapsed times are exact.
 */
class SeedScenariosTest {

  private static List<ToolCall<?, ?>> calls(SimTool... tools) {
    List<ToolCall<?, ?>> calls = new ArrayList<>();
    for (int i = 0; i < tools.length; i++) {
      calls.add(ToolCall.of("call" + (i + 1), tools[i], "in" + (i + 1)));
    }
    return calls;
  }

  @ParameterizedTest
  @EnumSource(IndependentMode.class)
  void basicParallel_threeTools_finishInTheLongestToolsTime(IndependentMode mode) {
    Sim sim = new Sim();
    RunResult run =
        sim.run(
            mode,
            calls(
                SimTool.fixed("search", 100),
                SimTool.fixed("calculate", 80),
                SimTool.fixed("translate", 120)));

    assertThat(run.results())
        .extracting(CallResult::callId)
        .containsExactly("call1", "call2", "call3");
    assertThat(run.results()).allMatch(CallResult::isSuccess);
    assertThat(run.results())
        .extracting(r -> (Object) r.value())
        .containsExactly("search:in1", "calculate:in2", "translate:in3");
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(120));
    assertThat(run.get("call2").runTime()).isEqualTo(Duration.ofMillis(80));
  }

  @ParameterizedTest
  @EnumSource(IndependentMode.class)
  void sequentialVsParallel_fourToolsOf100ms_parallelIsFourTimesFaster(IndependentMode mode) {
    SimTool tool = SimTool.fixed("work", 100);
    List<ToolCall<?, ?>> calls = calls(tool, tool, tool, tool);

    RunResult sequential = new Sim().run(ExecutionPlan.sequential(calls));
    RunResult parallel = new Sim().run(mode, calls);

    assertThat(sequential.report().elapsed()).isEqualTo(Duration.ofMillis(400));
    assertThat(parallel.report().elapsed()).isEqualTo(Duration.ofMillis(100));
    assertThat(sequential.allSucceeded()).isTrue();
    assertThat(parallel.allSucceeded()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"2, 500", "5, 200", "10, 100"})
  void concurrencyLimit_tenToolsOf100ms_takeTenOverLimitDurations(int limit, long expectedMs) {
    Sim sim = new Sim(b -> b.maxConcurrency(limit));
    SimTool tool = SimTool.fixed("work", 100);
    List<Object> inputs = IntStream.range(0, 10).<Object>mapToObj(i -> i).toList();

    RunResult run = sim.run(ExecutionPlan.batch(tool, inputs));

    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(expectedMs));
    assertThat(run.allSucceeded()).isTrue();
    assertThat(maxInFlight(sim.events.events())).isEqualTo(limit);
  }

  @ParameterizedTest
  @EnumSource(IndependentMode.class)
  void errorHandling_twoOfFourFail_othersSucceedAndErrorsAreCollected(IndependentMode mode) {
    SimTool ok = SimTool.fixed("ok_tool", 50);
    SimTool failing =
        new SimTool(
            SimTool.spec("fail_tool", false),
            (in, attempt) -> Step.fail(30, new IllegalStateException("This tool will fail")));

    RunResult run = new Sim().run(mode, calls(ok, failing, ok, failing));

    assertThat(run.results())
        .extracting(CallResult::status)
        .containsExactly(
            CallStatus.SUCCEEDED, CallStatus.FAILED, CallStatus.SUCCEEDED, CallStatus.FAILED);
    assertThat(run.get("call2").error()).hasMessage("This tool will fail");
    assertThat(run.report().count(CallStatus.SUCCEEDED)).isEqualTo(2);
    assertThat(run.report().count(CallStatus.FAILED)).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(IndependentMode.class)
  void retry_toolFailsTwiceThenSucceeds_succeedsOnThirdAttemptAfterBackoff(IndependentMode mode) {
    Sim sim =
        new Sim(
            b ->
                b.retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .initialDelay(Duration.ofMillis(50))
                        .multiplier(2)
                        .jitter(0)
                        .build()));
    SimTool flaky =
        new SimTool(
            SimTool.spec("flaky", true),
            (in, attempt) ->
                attempt < 3
                    ? Step.fail(20, new IOException("temporary failure " + attempt))
                    : Step.ok(20, "done"));

    RunResult run = sim.run(mode, List.of(ToolCall.of("call1", flaky, "x")));

    CallResult<?> result = run.get("call1");
    assertThat(result.status()).isEqualTo(CallStatus.SUCCEEDED);
    assertThat(result.value()).isEqualTo("done");
    assertThat(result.attempts()).isEqualTo(3);
    // three attempts of 20 ms, then back-off of 50 and 100 ms between them
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(20 + 50 + 20 + 100 + 20));
    assertThat(sim.events.eventsOf("call1"))
        .containsExactly(
            "queued call1",
            "started#1 call1",
            "attempt-failed#1 call1",
            "retry#2@50ms call1",
            "started#2 call1",
            "attempt-failed#2 call1",
            "retry#3@100ms call1",
            "started#3 call1",
            "succeeded call1");
  }

  @ParameterizedTest
  @EnumSource(IndependentMode.class)
  void timeout_oneFastOneSlowTool_slowOneTimesOutAtItsDeadline(IndependentMode mode) {
    Sim sim = new Sim(b -> b.attemptTimeout(Duration.ofMillis(100)));

    RunResult run =
        sim.run(mode, calls(SimTool.fixed("fast_tool", 50), SimTool.fixed("slow_tool", 5_000)));

    assertThat(run.get("call1").status()).isEqualTo(CallStatus.SUCCEEDED);
    CallResult<?> slow = run.get("call2");
    assertThat(slow.status()).isEqualTo(CallStatus.TIMED_OUT);
    assertThat(slow.error())
        .isInstanceOf(ToolTimeoutException.class)
        .hasMessageContaining("call2")
        .hasMessageContaining("slow_tool");
    assertThat(slow.runTime()).isEqualTo(Duration.ofMillis(100));
    assertThat(run.report().elapsed()).isEqualTo(Duration.ofMillis(100));
  }

  /** The most calls running at once, from a recorded event sequence. */
  static int maxInFlight(List<String> events) {
    int now = 0;
    int max = 0;
    for (String event : events) {
      if (event.startsWith("started")) {
        max = Math.max(max, ++now);
      } else if (event.startsWith("succeeded")
          || event.startsWith("attempt-failed")
          || event.startsWith("cancelled")) {
        now--;
      }
    }
    return max;
  }
}
