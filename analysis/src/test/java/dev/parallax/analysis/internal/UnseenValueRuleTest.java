package dev.parallax.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.planner.sim.SimulatedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The unseen-value rule: a model does not answer for a category value its tool never showed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnseenValueRuleTest {

  /**
   * Tool "align": log latency = 1 + 2·log10(size)/6 on machine a, twice as slow on machine b; every
   * training task carries its machine. Three training instances; the model has signal.
   */
  private static List<List<SimulatedCall>> training() {
    List<List<SimulatedCall>> instances = new ArrayList<>();
    for (int g = 0; g < 3; g++) {
      Random random = new Random(100 + g);
      List<SimulatedCall> calls = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        calls.add(task("g" + g + "-" + i, i % 2 == 0 ? "a" : "b", random));
      }
      instances.add(calls);
    }
    return instances;
  }

  private static SimulatedCall task(String id, String machine, Random random) {
    double size = Math.pow(10, 3 + 6 * random.nextDouble());
    double log = 1 + 2 * Math.log10(size) / 6 + (machine.equals("a") ? 0 : Math.log(2));
    Map<String, Double> features = new HashMap<>();
    features.put("input_bytes", size);
    features.put(Categories.feature(Categories.MACHINE, machine), 1.0);
    return new SimulatedCall(
        id, "align", features, List.of(), Duration.ofNanos(Math.round(Math.exp(log) * 1e9)), true);
  }

  private static List<SimulatedCall> scoredOn(String machine) {
    Random random = new Random(7);
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(task("s" + i, machine, random));
    }
    return calls;
  }

  @ParameterizedTest
  @EnumSource(LatencyModelType.class)
  void unseenMachine_isAnsweredByTheToolsMean_forEveryModelType(LatencyModelType type) {
    LatencyModel.Trained t =
        LatencyModel.trainOnInstances(training(), scoredOn("c"), 42, type, true, f -> false);

    assertThat(t.answeredByModel()).isZero();
    assertThat(t.maeLogLatency()).isCloseTo(t.baselineMaeLogLatency(), within(1e-9));
    SimulatedCall call = scoredOn("c").get(0);
    var p = ((UnseenValueRule) t.predictor()).predict(call.tool(), call.features());
    assertThat(p.source()).isEqualTo("baseline (unseen machine=c)");
  }

  @ParameterizedTest
  @EnumSource(LatencyModelType.class)
  void seenMachine_isLeftToThePredictor(LatencyModelType type) {
    LatencyModel.Trained t =
        LatencyModel.trainOnInstances(training(), scoredOn("b"), 42, type, true, f -> false);
    SimulatedCall call = scoredOn("b").get(0);
    var p = ((UnseenValueRule) t.predictor()).predict(call.tool(), call.features());
    assertThat(p.source()).doesNotContain("unseen");
  }

  @Test
  void withoutTheRule_theModelAnswersForAnUnseenMachine() {
    // the same data and seed: without the rule the gate's choice answers (it has signal in size)
    LatencyModel.Trained off =
        LatencyModel.trainOnInstances(
            training(), scoredOn("c"), 42, LatencyModelType.LINEAR_SGD, false, f -> false);
    assertThat(off.answeredByModel()).isGreaterThan(0);
  }

  @Test
  void aMachineHiddenFromTheModel_stillBoundsItsReach() {
    LatencyModel.Trained t =
        LatencyModel.trainOnInstances(
            training(),
            scoredOn("c"),
            42,
            LatencyModelType.LINEAR_SGD,
            true,
            f -> Categories.isOf(f, Categories.MACHINE));
    assertThat(t.answeredByModel()).isZero();
    assertThat(t.maeLogLatency()).isCloseTo(t.baselineMaeLogLatency(), within(1e-9));
  }

  @Test
  void aTaskWithoutACategory_andAToolNeverTrainedOn_areNotConcerned() {
    Categories seen = Categories.seenIn(training().get(0));
    assertThat(seen.unseen("align", Map.of("input_bytes", 5.0))).isNull();
    assertThat(seen.unseen("other", Map.of("machine=z", 1.0))).isNull();
    assertThat(seen.unseen("align", Map.of("machine=a", 1.0))).isNull();
    assertThat(seen.unseen("align", Map.of("machine=z", 1.0))).isEqualTo("machine=z");
    assertThat(seen.unseen("align", Map.of("machine=z", 0.0))).isNull();
  }
}
