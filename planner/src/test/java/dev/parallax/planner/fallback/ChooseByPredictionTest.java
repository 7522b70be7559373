package dev.parallax.planner.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.time.VirtualTime;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ToolFallbacksBuilder#chooseByPrediction}: the tool of a call chosen among its capability
 * group by predicted utility, on the real executor in virtual time, with a stub of core's {@link
 * Predictor} seam that predicts per tool.
 */
@Timeout(30)
class ChooseByPredictionTest {

  private final VirtualTime time = new VirtualTime();

  // Each answers in 10 ms of virtual time; only the predictions differ.
  private final ScriptedTool a = ScriptedTool.healthy("search_a", 10, "search");
  private final ScriptedTool b = ScriptedTool.healthy("search_b", 10, "search");
  private final ScriptedTool c = ScriptedTool.healthy("search_c", 10, "search");

  /** Predicts per tool name, from {@link #predict}; tools left out get no prediction. */
  private final Map<String, Prediction> predictions = new HashMap<>();

  private final Predictor predictor = call -> predictions.get(call.tool().name());

  private void predict(ScriptedTool tool, long millis, double success) {
    predictions.put(
        tool.name(),
        new Prediction(Duration.ofMillis(millis), Duration.ofMillis(2 * millis), success, "stub"));
  }

  private ToolFallbacksBuilder choosing() {
    return ToolFallbacks.builder()
        .timeSource(time)
        .capability("search", List.of(a, b, c))
        .chooseByPrediction(predictor);
  }

  private RunResult run(ToolFallbacks policy, int calls) {
    List<ToolCall<?, ?>> list =
        IntStream.range(0, calls)
            .<ToolCall<?, ?>>mapToObj(i -> ToolCall.of("c" + i, a, i))
            .toList();
    try (FallbackSim sim = new FallbackSim(time, x -> policy.attachTo(x).predictor(predictor))) {
      return sim.run(ExecutionPlan.parallel(list));
    }
  }

  @ParameterizedTest
  @EnumSource(FallbackSim.Mode.class)
  void picksTheFasterReliableAlternative_beforeTheFirstAttempt(FallbackSim.Mode mode) {
    predict(a, 400, 0.9); // 0.444 s to a success
    predict(b, 100, 0.3); // fastest, unreliable: 0.333 s
    predict(c, 150, 0.95); // 0.158 s
    ToolFallbacks policy = choosing().build();

    RunResult run;
    try (FallbackSim sim = new FallbackSim(time, x -> policy.attachTo(x).predictor(predictor))) {
      run = sim.run(mode, a, 3);
    }

    assertThat(run.results())
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("search_c");
              assertThat(r.fallbackFrom()).isEqualTo("search_a");
              assertThat(r.fallbackReason())
                  .isEqualTo("predicted utility search_c 0.158s < search_a 0.444s");
              assertThat(r.attempts()).isEqualTo(1);
            });
    assertThat(a.runs()).isZero();
    assertThat(b.runs()).isZero();
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void theBestPredictedPrimary_keepsItsTool() {
    predict(a, 100, 0.99);
    predict(b, 100, 0.9);
    predict(c, 300, 0.99);

    RunResult run = run(choosing().build(), 2);

    assertThat(run.results())
        .allSatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("search_a");
              assertThat(r.fallbackFrom()).isNull();
              assertThat(r.fallbackReason()).isNull();
            });
  }

  @Test
  void tiedPredictions_keepTheDeclaredOrder() {
    predict(a, 100, 0.9);
    predict(b, 100, 0.9);
    predict(c, 100, 0.9);
    assertThat(run(choosing().build(), 2).results())
        .allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));

    predict(a, 500, 0.9); // now b and c tie, both better than a: b is declared first
    RunResult run = run(choosing().build(), 2);

    assertThat(run.results()).allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_b"));
    assertThat(c.runs()).isZero();
  }

  @Test
  void noPrediction_behavesExactlyAsWithoutTheOption() {
    RunResult choosing = run(choosing().build(), 3); // the stub predicts nothing
    RunResult fixed =
        run(
            ToolFallbacks.builder().timeSource(time).capability("search", List.of(a, b, c)).build(),
            3);

    assertThat(choosing.results()).allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));
    assertThat(choosing.results().stream().map(CallResult::tool).toList())
        .isEqualTo(fixed.results().stream().map(CallResult::tool).toList());
    assertThat(b.runs() + c.runs()).isZero();
  }

  @Test
  void primaryWithoutPrediction_staysFirst_overPredictedAlternatives() {
    predict(b, 1, 1.0);
    predict(c, 1, 1.0);

    RunResult run = run(choosing().build(), 2);

    assertThat(run.results()).allSatisfy(r -> assertThat(r.tool()).isEqualTo("search_a"));
  }

  @Test
  void alternativesWithoutPrediction_rankAfterThePredictedOnes() {
    predict(a, 400, 0.9);
    predict(c, 200, 0.9); // b has no prediction: c beats the primary, b is not known to

    RunResult run = run(choosing().build(), 1);

    assertThat(run.get("c0").tool()).isEqualTo("search_c");
  }

  @Test
  void skipsAnOpenBreaker_forTheNextBestHealthyTool() {
    predict(a, 400, 0.9);
    predict(b, 300, 0.9);
    predict(c, 100, 0.9); // best, but its circuit is open
    ToolFallbacks policy = choosing().build();
    policy.forceOpen("search_c");

    RunResult run = run(policy, 2);

    assertThat(run.results())
        .allSatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("search_b");
              assertThat(r.fallbackReason())
                  .isEqualTo("predicted utility search_b 0.333s < search_a 0.444s");
            });
    assertThat(c.runs()).isZero();
  }

  @Test
  void primaryWithAnOpenBreaker_swapsToTheBestAlternative_sayingCircuit() {
    predict(a, 100, 0.9); // best, but open
    predict(b, 300, 0.9);
    predict(c, 200, 0.9);
    ToolFallbacks policy = choosing().build();
    policy.forceOpen("search_a");

    CallResult<?> r = run(policy, 1).get("c0");

    assertThat(r.tool()).isEqualTo("search_c");
    assertThat(r.fallbackReason()).isEqualTo("circuit forced-open for search_a");
  }

  @Test
  void primaryPredictedToFail_doesNotCompete_andTheBestAlternativeRuns() {
    predict(a, 10, 0.4); // below minPredictedSuccess 0.5 (its utility, 0.025 s, would win)
    predict(b, 300, 0.9);
    predict(c, 200, 0.9);

    CallResult<?> r = run(choosing().build(), 1).get("c0");

    assertThat(r.tool()).isEqualTo("search_c");
    assertThat(r.fallbackReason()).isEqualTo("predicted success 0.40 < 0.50");
    assertThat(a.runs()).isZero();
  }

  // Regression: after a swap for utility, alternativeAfterFailure offered only the primary's
  // alternatives (and the executor lists the primary as tried), so when the chosen tool failed the
  // healthy primary, which never ran, was never tried.
  @Test
  void chosenAlternativeFails_thePrimaryIsStillAFallback() {
    ScriptedTool flaky = ScriptedTool.failing("search_b", 10, new IOException("down"), "search");
    predict(a, 400, 0.9);
    predict(flaky, 100, 0.9);
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .timeSource(time)
            .capability("search", List.of(a, flaky))
            .chooseByPrediction(predictor)
            .build();

    CallResult<?> r = run(policy, 1).get("c0");

    assertThat(r.isSuccess()).isTrue();
    assertThat(r.tool()).isEqualTo("search_a");
    assertThat(r.fallbackReason()).isEqualTo("search_b failed: IOException");
    assertThat(flaky.runs()).isEqualTo(1);
    assertThat(a.runs()).isEqualTo(1);
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void primaryPredictedToFail_isStillTheLastResort_whenTheChosenToolFails() {
    ScriptedTool flaky = ScriptedTool.failing("search_b", 10, new IOException("down"), "search");
    predict(a, 100, 0.4); // predicted to fail: does not compete
    predict(flaky, 100, 0.9);
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .timeSource(time)
            .capability("search", List.of(a, flaky))
            .chooseByPrediction(predictor)
            .build();

    CallResult<?> r = run(policy, 1).get("c0");

    assertThat(r.isSuccess()).isTrue();
    assertThat(r.tool()).isEqualTo("search_a");
    assertThat(flaky.runs()).isEqualTo(1);
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void primaryWithAnOpenBreaker_isNotAFallback_whenTheChosenToolFails() {
    ScriptedTool flaky = ScriptedTool.failing("search_b", 10, new IOException("down"), "search");
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .timeSource(time)
            .capability("search", List.of(a, flaky))
            .chooseByPrediction(predictor)
            .build();
    policy.forceOpen("search_a");

    CallResult<?> r = run(policy, 1).get("c0");

    assertThat(r.isSuccess()).isFalse();
    assertThat(a.runs()).isZero();
    assertThat(policy.trackedCalls()).isZero();
  }

  @Test
  void declaredCost_changesTheChoice() {
    predict(a, 400, 0.9); // 0.444 s
    predict(b, 100, 0.9); // 0.111 s, a paid API

    assertThat(run(choosing().build(), 1).get("c0").tool()).isEqualTo("search_b");

    RunResult costly = run(choosing().cost(b, 0.5).build(), 1); // 0.611 s
    assertThat(costly.get("c0").tool()).isEqualTo("search_a");

    RunResult cheaper = run(choosing().cost(b, 0.2).build(), 1); // 0.311 s
    assertThat(cheaper.get("c0").fallbackReason())
        .isEqualTo("predicted utility search_b 0.311s < search_a 0.444s");
  }

  /** The snippet of docs-drafts/alternatives.md, as it is there. */
  @Test
  void readmeSnippet_choosesByPrediction_withACost() {
    ScriptedTool searchA = a;
    ScriptedTool searchB = b;
    ScriptedTool searchC = c;
    predict(a, 400, 0.9);
    predict(b, 100, 0.9); // 0.111 s + 0.5 s cost
    predict(c, 300, 0.9); // 0.333 s
    // README snippet start
    ToolFallbacks fallbacks =
        ToolFallbacks.builder()
            .capability("search", List.of(searchA, searchB, searchC))
            .chooseByPrediction(predictor) // normally the executor's own predictor
            .cost(searchB, 0.5) // a paid API: worth 0.5 s of waiting
            .timeSource(time)
            .build();
    // README snippet end

    assertThat(run(fallbacks, 1).get("c0").tool()).isEqualTo("search_c");
  }

  @Test
  void aThrowingPredictor_countsAsNoPrediction_andTheRunGoesOn() {
    predict(a, 400, 0.9);
    Predictor throwing =
        call -> {
          if (!call.tool().name().equals("search_a")) {
            throw new IllegalStateException("model not loaded");
          }
          return predictions.get("search_a");
        };
    ToolFallbacks policy =
        ToolFallbacks.builder()
            .timeSource(time)
            .capability("search", List.of(a, b, c))
            .chooseByPrediction(throwing)
            .build();

    RunResult run = run(policy, 2);

    assertThat(run.results())
        .allSatisfy(
            r -> {
              assertThat(r.tool()).isEqualTo("search_a");
              assertThat(r.value()).isEqualTo("search_a:" + r.callId().substring(1));
            });
    assertThat(policy.predictorFailures()).isEqualTo(4); // b and c, for each of the two calls
  }

  @Test
  void costWithoutChoosingByPrediction_isRefused() {
    assertThatThrownBy(
            () -> ToolFallbacks.builder().capability("search", List.of(a, b)).cost(b, 1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("chooseByPrediction");
  }

  @Test
  void badCosts_areRefusedWithTheValue() {
    assertThatThrownBy(() -> choosing().cost(b, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0");
    assertThatThrownBy(() -> choosing().cost(b, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
    ScriptedTool stranger = ScriptedTool.healthy("stranger", 10);
    assertThatThrownBy(() -> choosing().cost(stranger, 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stranger");
  }

  @Test
  void choosesByPrediction_isReported() {
    assertThat(choosing().build().choosesByPrediction()).isTrue();
    assertThat(
            ToolFallbacks.builder()
                .capability("search", List.of(a, b))
                .build()
                .choosesByPrediction())
        .isFalse();
  }
}
