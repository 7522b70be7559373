package dev.parallax.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PreloadPlannerTest {

  @Test
  void binomialCdf_matchesTheExactValues() {
    // P(X <= 0 | 3, 0.75) = 0.25^3
    assertThat(PreloadPlanner.binomialCdf(0, 3, 0.75)).isCloseTo(0.015625, offset(1e-12));
    // P(X <= 1 | 4, 0.75) = 0.25^4 + 4 x 0.75 x 0.25^3
    assertThat(PreloadPlanner.binomialCdf(1, 4, 0.75)).isCloseTo(0.05078125, offset(1e-12));
    assertThat(PreloadPlanner.binomialCdf(5, 5, 0.75)).isEqualTo(1);
    assertThat(PreloadPlanner.binomialCdf(2, 5, 0)).isEqualTo(1);
    assertThat(PreloadPlanner.binomialCdf(2, 5, 1)).isZero();
  }

  @Test
  void binomialCdf_largeCounts_doNotUnderflow() {
    // 5000 trials at 0.75: 3700 successes is within the spread, 3500 far below it
    assertThat(PreloadPlanner.binomialCdf(3700, 5000, 0.75)).isBetween(0.01, 0.5);
    assertThat(PreloadPlanner.binomialCdf(3500, 5000, 0.75)).isLessThan(1e-6);
  }

  @Test
  void twoMissesInARow_doNotSuspend_threeDo() {
    assertThat(PreloadPlanner.binomialCdf(0, 2, 0.75)).isGreaterThanOrEqualTo(PreloadPlanner.ALPHA);
    assertThat(PreloadPlanner.binomialCdf(0, 3, 0.75)).isLessThan(PreloadPlanner.ALPHA);
  }
}
