package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AucTest {

  @Test
  void perfectRanking_isOne_reversed_isZero() {
    double[] scores = {0.1, 0.2, 0.8, 0.9};
    assertThat(Auc.of(scores, new boolean[] {false, false, true, true})).isEqualTo(1.0);
    assertThat(Auc.of(scores, new boolean[] {true, true, false, false})).isEqualTo(0.0);
    boolean[] positive = {false, false, true, true};
    assertThat(Auc.of(new double[] {0.9, 0.8, 0.2, 0.1}, positive)).isEqualTo(0.0);
  }

  @Test
  void tiesCountHalf() {
    assertThat(Auc.of(new double[] {0.5, 0.5}, new boolean[] {true, false})).isEqualTo(0.5);
    assertThat(Auc.of(new double[] {0.5, 0.5, 0.5, 0.5}, new boolean[] {false, false, true, true}))
        .isEqualTo(0.5);
    // pairs (pos, neg): (0.8,0.3) win, (0.8,0.8) tie, (0.4,0.3) win, (0.4,0.8) loss -> 2.5 / 4
    assertThat(Auc.of(new double[] {0.8, 0.4, 0.3, 0.8}, new boolean[] {true, true, false, false}))
        .isEqualTo(0.625);
  }

  @Test
  void oneClassOnly_isNaN() {
    assertThat(Auc.of(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
  }

  @Test
  void arraysOfDifferentLength_areRejected() {
    assertThatThrownBy(() -> Auc.of(new double[] {0.1, 0.2}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 scores for 1 outcomes");
  }
}
