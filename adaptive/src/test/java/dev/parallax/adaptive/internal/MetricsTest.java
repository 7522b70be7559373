package dev.parallax.adaptive.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void auc_perfectRanking_isOne_reversed_isZero() {
    double[] scores = {0.1, 0.2, 0.8, 0.9};
    assertThat(Metrics.auc(scores, new boolean[] {false, false, true, true})).isEqualTo(1.0);
    assertThat(Metrics.auc(scores, new boolean[] {true, true, false, false})).isEqualTo(0.0);
  }

  @Test
  void auc_tiesCountHalf() {
    assertThat(Metrics.auc(new double[] {0.5, 0.5}, new boolean[] {true, false})).isEqualTo(0.5);
    // pairs (pos, neg): (0.8,0.3) win, (0.8,0.8) tie, (0.4,0.3) win, (0.4,0.8) loss -> 2.5 / 4
    assertThat(
            Metrics.auc(
                new double[] {0.8, 0.4, 0.3, 0.8}, new boolean[] {true, true, false, false}))
        .isEqualTo(0.625);
  }

  @Test
  void auc_oneClassOnly_isNaN() {
    assertThat(Metrics.auc(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
  }

  @Test
  void quantile_nearestRank() {
    assertThat(Metrics.quantile(new double[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10}, 0.9)).isEqualTo(9);
    assertThat(Metrics.quantile(new double[0], 0.9)).isNaN();
  }
}
