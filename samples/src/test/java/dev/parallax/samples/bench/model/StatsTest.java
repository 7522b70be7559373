package dev.parallax.samples.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

  @Test
  void medianAndNearestRankPercentile() {
    double[] values = {5, 1, 4, 2, 3};
    assertThat(Stats.median(values)).isEqualTo(3);
    assertThat(Stats.median(new double[] {1, 2, 3, 4})).isEqualTo(2.5);
    assertThat(Stats.percentile(values, 95)).isEqualTo(5);
    assertThat(Stats.percentile(values, 40)).isEqualTo(2);
    assertThat(values).containsExactly(5, 1, 4, 2, 3); // not sorted in place
  }

  @Test
  void noValues_isAnError() {
    assertThatThrownBy(() -> Stats.median(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no values");
  }
}
