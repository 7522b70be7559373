package dev.parallax.adaptive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void quantile_nearestRank() {
    assertThat(Metrics.quantile(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10}, 0.9)).isEqualTo(9);
    assertThat(Metrics.quantile(new double[0], 0.9)).isNaN();
  }
}
