package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The policy on the real executor, in virtual time. */
class ToolFallbacksTest {

  /** Opens at 50% failures over the last 4 calls, stays open 30 s, then lets 2 trial calls in. */
  private static final CircuitBreakerConfig SMALL_BREAKER =
      CircuitBreakerConfig.custom()
          .slidingWindowType(SlidingWindowType.COUNT_BASED)
          .slidingWindowSize(4)
          .minimumNumberOfCalls(4)
          .failureRateThreshold(50)
          .waitDurationInOpenState(Duration.ofSeconds(30))
          .permittedNumberOfCallsInHalfOpenState(2)
          .build();

  private final VirtualTime time = new VirtualTime();

  private ToolFallbacksBuilder fallbacks() {
    return ToolFallbacks.builder().timeSource(time).breaker(SMALL_BREAKER);
  }

  private FallbackSim sim(ToolFallbacks policy) {
    return new FallbackSim(time, policy::attachTo);
  }

  private static List<ToolCall<?, ?>> calls(ScriptedTool tool, int count) {
    return java.util.stream.IntStream.range(0, count)
        .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("c" + i, tool, i))
        .toList();
  }

  // Regression: a failing derived-input function was treated as failed tool attempts — retried,
  // attempts=3, onAttemptFailed fired, and failures were recorded on both tools' breakers.
  @Test
  void derivedInputFunctionFailing_failsTheCallWithoutAttempts_andNoBreakerCountsAFailure() {
    ScriptedTool source = ScriptedTool.healthy("source", 10);
    ScriptedTool primary = ScriptedTool.healthy("search_a", 10);
    ScriptedTool backup = ScriptedTool.healthy("search_b", 20);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();
    CallGraph graph =
        CallGraph.builder()
            .add(ToolCall.of("src", source, 1))
            .add(
                ToolCall.derived(
                    "derived",
                    primary,
                    deps -> {
                      throw new IllegalStateException("cannot read " + deps.keySet());
                    }),
                "src")
            .build();

    RunResult run;
    try (FallbackSim sim =
        new FallbackSim(
            time,
            b ->
                policy
                    .attachTo(b)
                    .retryPolicy(
                        RetryPolicy.builder().maxAttempts(3).retryNonIdempotent(true).build()))) {
      run = sim.run(ExecutionPlan.graph(graph));
    }

    CallResult<?> derived = run.get("derived");
    assertThat(derived.status()).isEqualTo(CallStatus.FAILED);
    assertThat(derived.attempts()).isZero();
    assertThat(derived.startedAt()).isNull();
    assertThat(derived.tool())
        .as("no fallback for an input that cannot be made")
        .isEqualTo("search_a");
    assertThat(derived.error())
        .isInstanceOf(SeamFailureException.class)
        .hasMessageContaining("call derived")
        .hasRootCauseMessage("cannot read [src]");
    for (String tool : List.of("search_a", "search_b")) {
      assertThat(policy.health(tool).failedCalls()).as(tool + " breaker failures").isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(FallbackSim.Mode.class)
  void afterTheLastFailedAttempt_theAlternativeAnswers_andTheResultSaysWhoAndWhy(
      FallbackSim.Mode mode) {
    ScriptedTool primary = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 20);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    RunResult run;
    try (FallbackSim sim = sim(policy)) {
      run = sim.run(mode, primary, 3);
    }

    assertThat(run.results())
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(CallStatus.SUCCEEDED);
              assertThat(r.tool()).isEqualTo("search_b");
              assertThat(r.fallbackFrom()).isEqualTo("search_a");
              assertThat(r.fallbackReason()).isEqualTo("search_a failed: IOException");
              assertThat(r.attempts()).isEqualTo(2);
              assertThat(r.runTime()).isEqualTo(Duration.ofMillis(30));
            });
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void lowPredictedSuccess_swapsBeforeTheFirstAttempt() {
    ScriptedTool primary = ScriptedTool.healthy("search_a", 10);
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();
    Predictor predictor =
        call -> new Prediction(Duration.ofMillis(10), Duration.ofMillis(20), 0.42, "test");

    RunResult run;
    try (FallbackSim sim = new FallbackSim(time, b -> policy.attachTo(b).predictor(predictor))) {
      run = sim.run(ExecutionPlan.parallel(calls(primary, 1)));
    }

    CallResult<?> c = run.get("c0");
    assertThat(c.value()).isEqualTo("search_b:0");
    assertThat(c.fallbackFrom()).isEqualTo("search_a");
    assertThat(c.fallbackReason()).isEqualTo("predicted success 0.42 < 0.50");
    assertThat(c.attempts()).isEqualTo(1);
    assertThat(primary.runs()).isZero();
  }

  @Test
  void predictionAtTheThreshold_orMissing_keepsThePrimary() {
    ScriptedTool primary = ScriptedTool.healthy("search_a", 10);
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).minPredictedSuccess(0.6).build();
    Predictor predictor =
        call ->
            call.callId().equals("c0")
                ? new Prediction(Duration.ofMillis(10), Duration.ofMillis(20), 0.6, "test")
                : null;

    RunResult run;
    try (FallbackSim sim = new FallbackSim(time, b -> policy.attachTo(b).predictor(predictor))) {
      run = sim.run(ExecutionPlan.parallel(calls(primary, 2)));
    }

    assertThat(run.results())
        .allSatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("search_a");
              assertThat(r.fallbackFrom()).isNull();
            });
    assertThat(backup.runs()).isZero();
  }

  @Test
  void openCircuit_swapsBeforeStart_withoutTouchingThePrimary() {
    ScriptedTool primary = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = sim(policy)) {
      sim.run(ExecutionPlan.parallel(calls(primary, 4)));
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.OPEN);

      RunResult next = sim.run(ExecutionPlan.parallel(calls(primary, 3)));

      assertThat(next.results())
          .allSatisfy(
              r -> {
                assertThat(r.tool()).isEqualTo("search_b");
                assertThat(r.fallbackReason()).isEqualTo("circuit open for search_a");
                assertThat(r.attempts()).isEqualTo(1);
              });
    }
    assertThat(primary.runs()).isEqualTo(4);
    assertThat(policy.health("search_b").state()).isEqualTo(ToolHealth.State.CLOSED);
  }

  // Regression (issue 12): the breakers learnt only if the policy was also registered as a
  // listener; ToolFallbacks implemented ExecutionListener publicly for that, and the facade
  // depended on an instanceof check. Setting it as the fallback is now all the wiring.
  @Test
  @Timeout(30)
  void setOnlyAsTheFallback_itsBreakersStillLearn_andOpen() {
    ScriptedTool primary = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = new FallbackSim(time, b -> b.fallback(policy))) {
      sim.run(ExecutionPlan.parallel(calls(primary, 4)));

      ToolHealth health = policy.health("search_a");
      assertThat(health.state()).isEqualTo(ToolHealth.State.OPEN);
      assertThat(health.available()).isFalse();
      assertThat(health.failedCalls()).isEqualTo(4);
      assertThat(health.failureRate()).isEqualTo(100f);
      assertThat(sim.run(ExecutionPlan.parallel(calls(primary, 1))).get("c0").tool())
          .isEqualTo("search_b");
    }
    assertThat(ExecutionListener.class.isAssignableFrom(ToolFallbacks.class))
        .as("the breakers' listener is internal")
        .isFalse();
    assertThat(policy.feedback()).isNotNull();
  }

  @Test
  @Timeout(30)
  void forceOpen_swapsEveryCall_untilReset() {
    ScriptedTool primary = ScriptedTool.healthy("search_a", 10);
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = sim(policy)) {
      policy.forceOpen("search_a");
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.FORCED_OPEN);
      assertThat(sim.run(ExecutionPlan.parallel(calls(primary, 2))).results())
          .allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_b"));

      policy.reset("search_a");

      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.CLOSED);
      assertThat(policy.health("search_a").failedCalls()).isZero();
      assertThat(sim.run(ExecutionPlan.parallel(calls(primary, 2))).results())
          .allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));
    }
    assertThat(primary.runs()).isEqualTo(2);
  }

  @Test
  void halfOpenCircuit_letsItsTrialCallsThrough_andClosesWhenTheySucceed() {
    AtomicBoolean healthy = new AtomicBoolean(false);
    ScriptedTool primary =
        new ScriptedTool(
            "search_a",
            java.util.Set.of(),
            in ->
                healthy.get()
                    ? ScriptedTool.Step.ok(10, "a:" + in)
                    : ScriptedTool.Step.fail(10, new IOException("down")));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = sim(policy)) {
      sim.run(ExecutionPlan.parallel(calls(primary, 4)));
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.OPEN);
      healthy.set(true);
      time.advance(Duration.ofSeconds(29));
      assertThat(sim.run(ExecutionPlan.parallel(calls(primary, 1))).get("c0").tool())
          .as("still open before the wait is over")
          .isEqualTo("search_b");
      time.advance(Duration.ofSeconds(2));

      RunResult trial = sim.run(ExecutionPlan.parallel(calls(primary, 3)));

      assertThat(trial.get("c0").tool()).isEqualTo("search_a");
      assertThat(trial.get("c1").tool()).isEqualTo("search_a");
      assertThat(trial.get("c2").tool()).isEqualTo("search_b");
      assertThat(trial.get("c2").fallbackReason()).isEqualTo("circuit half-open for search_a");
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.CLOSED);
      assertThat(sim.run(ExecutionPlan.parallel(calls(primary, 3))).results())
          .allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));
    }
  }

  @Test
  void halfOpenCircuit_opensAgainWhenItsTrialCallsFail() {
    ScriptedTool primary = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = sim(policy)) {
      sim.run(ExecutionPlan.parallel(calls(primary, 4)));
      time.advance(Duration.ofSeconds(31));

      RunResult trial = sim.run(ExecutionPlan.parallel(calls(primary, 2)));

      assertThat(trial.results())
          .allSatisfy(
              r -> {
                assertThat(r.tool()).isEqualTo("search_b");
                assertThat(r.fallbackReason()).isEqualTo("search_a failed: IOException");
              });
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.OPEN);
    }
    assertThat(primary.runs()).isEqualTo(6);
  }

  @Test
  void cancelledTrialCalls_giveTheirHalfOpenPermitsBack() {
    AtomicBoolean slow = new AtomicBoolean(false);
    ScriptedTool primary =
        new ScriptedTool(
            "search_a",
            java.util.Set.of(),
            in ->
                slow.get()
                    ? ScriptedTool.Step.ok(1_000, "a:" + in)
                    : ScriptedTool.Step.fail(10, new IOException("down")));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    try (FallbackSim sim = sim(policy)) {
      sim.run(ExecutionPlan.parallel(calls(primary, 4)));
      time.advance(Duration.ofSeconds(31));
      slow.set(true);
      ToolRun cancelled = sim.executor.start(ExecutionPlan.parallel(calls(primary, 2)));
      time.advance(Duration.ofMillis(100));
      cancelled.cancel();
      assertThat(cancelled.result().join().results())
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(CallStatus.CANCELLED));
      assertThat(policy.trackedCalls()).isZero();

      RunResult trial = sim.run(ExecutionPlan.parallel(calls(primary, 2)));

      assertThat(trial.results())
          .as("both permits came back")
          .allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));
      assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.CLOSED);
    }
  }

  @Test
  void exhaustedChain_failsWithTheLastError_afterTryingEachToolOnce() {
    ScriptedTool a = ScriptedTool.failing("search_a", 10, new IOException("a down"));
    ScriptedTool b = ScriptedTool.failing("search_b", 10, new IllegalStateException("b down"));
    ScriptedTool c = ScriptedTool.failing("search_c", 10, new UnsupportedOperationException("c"));
    ToolFallbacks policy = fallbacks().chain(a, b, c).build();

    RunResult run;
    try (FallbackSim sim = sim(policy)) {
      run = sim.run(ExecutionPlan.parallel(calls(a, 1)));
    }

    CallResult<?> result = run.get("c0");
    assertThat(result.status()).isEqualTo(CallStatus.FAILED);
    assertThat(result.error()).isInstanceOf(UnsupportedOperationException.class).hasMessage("c");
    assertThat(result.tool()).isEqualTo("search_c");
    assertThat(result.fallbackFrom()).isEqualTo("search_a");
    assertThat(result.fallbackReason()).isEqualTo("search_b failed: IllegalStateException");
    assertThat(result.attempts()).isEqualTo(3);
    assertThat(List.of(a.runs(), b.runs(), c.runs())).containsExactly(1, 1, 1);
  }

  @Test
  void afterFailure_anAlternativeWithAnOpenCircuitIsSkipped() {
    ScriptedTool a = ScriptedTool.failing("search_a", 10, new IOException("a down"));
    ScriptedTool b = ScriptedTool.healthy("search_b", 10);
    ScriptedTool c = ScriptedTool.healthy("search_c", 10);
    ToolFallbacks policy = fallbacks().chain(a, b, c).build();
    policy.forceOpen("search_b");

    RunResult run;
    try (FallbackSim sim = sim(policy)) {
      run = sim.run(ExecutionPlan.parallel(calls(a, 1)));
    }

    assertThat(run.get("c0").tool()).isEqualTo("search_c");
    assertThat(run.get("c0").fallbackReason()).isEqualTo("search_a failed: IOException");
    assertThat(b.runs()).isZero();
  }

  @Test
  void chainsSharingATool_join_andChainsComeBeforeCapabilities() {
    ScriptedTool a = ScriptedTool.healthy("a", 10, "lookup");
    ScriptedTool b = ScriptedTool.healthy("b", 10);
    ScriptedTool c = ScriptedTool.healthy("c", 10, "lookup");
    ScriptedTool d = ScriptedTool.healthy("d", 10, "lookup");

    ToolFallbacks policy =
        fallbacks().chain(a, b).chain(b, c).capability("lookup", List.of(d, c, a)).build();

    assertThat(names(policy, "a")).containsExactly("b", "c", "d");
    assertThat(names(policy, "b")).containsExactly("c");
    assertThat(names(policy, "c")).containsExactly("d", "a");
    assertThat(names(policy, "d")).containsExactly("c", "a");
  }

  @Test
  void capabilityTags_areTriedInTheRegistrysOrder_skippingToolsTried() {
    ScriptedTool s1 = ScriptedTool.failing("s1", 10, new IOException("s1 down"), "web_search");
    ScriptedTool s2 = ScriptedTool.healthy("s2", 10, "web_search");
    ScriptedTool s3 = ScriptedTool.failing("s3", 10, new IOException("s3 down"), "web_search");
    ScriptedTool weather = ScriptedTool.healthy("weather", 10, "forecast");
    ToolRegistry registry = ToolRegistry.of(s3, weather, s1, s2);
    ToolFallbacks policy = fallbacks().capability("web_search", registry).build();

    assertThat(names(policy, "s1")).containsExactly("s3", "s2");
    assertThat(names(policy, "s2")).containsExactly("s3", "s1");
    assertThat(names(policy, "weather")).isEmpty();

    RunResult run;
    try (FallbackSim sim = sim(policy)) {
      run = sim.run(ExecutionPlan.parallel(calls(s1, 1)));
    }
    CallResult<?> result = run.get("c0");
    assertThat(result.tool()).isEqualTo("s2");
    assertThat(result.fallbackFrom()).isEqualTo("s1");
    assertThat(result.fallbackReason()).isEqualTo("s3 failed: IOException");
    assertThat(List.of(s1.runs(), s3.runs(), s2.runs())).containsExactly(1, 1, 1);
  }

  // Was usedOnlyAsTheFallback_itStillSwaps_butItsBreakersLearnNothing: issue 12 made the fallback
  // alone the whole wiring (the executor registers the policy's feedback), so the breakers learn.
  @Test
  void usedOnlyAsTheFallback_itSwaps_itsBreakersLearn_andNoCallStaysTracked() {
    ScriptedTool primary = ScriptedTool.failing("search_a", 10, new IOException("down"));
    ScriptedTool backup = ScriptedTool.healthy("search_b", 10);
    ToolFallbacks policy = fallbacks().chain(primary, backup).build();

    RunResult run;
    try (FallbackSim sim = new FallbackSim(time, b -> b.fallback(policy))) {
      run = sim.run(ExecutionPlan.parallel(calls(primary, 8)));
    }

    assertThat(run.allSucceeded()).isTrue();
    assertThat(policy.health("search_a").failedCalls()).isEqualTo(4); // the breaker's window
    assertThat(policy.health("search_a").state()).isEqualTo(ToolHealth.State.OPEN);
    assertThat(policy.trackedCalls()).isZero();
  }

  private static List<String> names(ToolFallbacks policy, String tool) {
    return policy.alternativesOf(tool).stream().map(Tool::name).toList();
  }
}
