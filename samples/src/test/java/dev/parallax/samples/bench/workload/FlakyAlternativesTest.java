package dev.parallax.samples.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code flaky} workload's alternatives scenario at full size, in virtual time. */
@Timeout(120)
class FlakyAlternativesTest {

  @Test
  @SuppressWarnings("unchecked")
  void byPrediction_startsOnTheReliableTool_andKeepsTheOtherAsFallback_losingNoSuccesses() {
    Map<String, Object> out = FlakyAlternatives.run(Sizes.full(), 42);
    Map<String, Object> policies = (Map<String, Object>) out.get("policies");
    Map<String, Object> fixed = (Map<String, Object>) policies.get("fixed_order");
    Map<String, Object> chosen = (Map<String, Object>) policies.get("by_prediction");
    System.out.println("flaky alternatives: " + out);

    assertThat((double) chosen.get("success_rate"))
        .isGreaterThanOrEqualTo((double) fixed.get("success_rate"));
    // p95 and attempts are not asserted: over seeds 1..8 by_prediction had the lower p95 on 5 of 8
    // (fixed order, its quick tool's circuit open most of the time, runs the steady tool with no
    // fallback left, which is quick while it lasts); the bench reports them, this test does not
    // claim them.
    Map<String, Object> fixedShare = (Map<String, Object>) fixed.get("first_choice_share");
    Map<String, Object> chosenShare = (Map<String, Object>) chosen.get("first_choice_share");
    // cold start: the first turn ties on the prior and keeps the declared order
    assertThat((double) chosenShare.get(FlakyAlternatives.QUICK)).isPositive();
    assertThat((double) chosenShare.get(FlakyAlternatives.STEADY))
        .isGreaterThan((double) fixedShare.get(FlakyAlternatives.STEADY));
  }
}
