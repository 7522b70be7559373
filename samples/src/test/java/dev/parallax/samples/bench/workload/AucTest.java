package dev.parallax.samples.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AucTest {

  @Test
  void perfectRanking_isOne_reversedIsZero_tiesAreHalf() {
    boolean[] positive = {false, false, true, true};
    assertThat(Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, positive)).isEqualTo(1.0);
    assertThat(Auc.of(new double[] {0.9, 0.8, 0.2, 0.1}, positive)).isEqualTo(0.0);
    assertThat(Auc.of(new double[] {0.5, 0.5, 0.5, 0.5}, positive)).isEqualTo(0.5);
  }

  @Test
  void oneClassOnly_isNaN() {
    assertThat(Auc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
  }
}
