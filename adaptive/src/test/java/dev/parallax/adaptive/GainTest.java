package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GainTest {

  @Test
  void bootstrap_pairedErrors_ratioAndIntervalAroundIt() {
    Random random = new Random(1);
    double[] model = new double[400];
    double[] reference = new double[400];
    for (int i = 0; i < model.length; i++) {
      reference[i] = Math.abs(random.nextGaussian());
      model[i] = 0.5 * reference[i] + 0.05 * Math.abs(random.nextGaussian());
    }
    Gain g = Gain.bootstrap(model, reference, 7);
    assertThat(g.rows()).isEqualTo(400);
    assertThat(g.low()).isLessThanOrEqualTo(g.ratio());
    assertThat(g.high()).isGreaterThanOrEqualTo(g.ratio());
    assertThat(g.ratio()).isBetween(0.5, 0.6);
    assertThat(g.confidentlyBelow(0.98)).isTrue();
    assertThat(Gain.bootstrap(model, reference, 7)).isEqualTo(g); // deterministic
    assertThat(g.toString()).matches("0\\.5\\d\\d \\[0\\.5\\d\\d, 0\\.\\d{3}\\], 400 rows");
  }

  @Test
  void bootstrap_sameErrorDistribution_intervalContainsOne() {
    Random random = new Random(2);
    double[] a = new double[200];
    double[] b = new double[200];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.abs(random.nextGaussian());
      b[i] = Math.abs(random.nextGaussian());
    }
    Gain g = Gain.bootstrap(a, b, 3);
    assertThat(g.low()).isLessThan(1);
    assertThat(g.high()).isGreaterThan(1);
    assertThat(g.confidentlyBelow(1)).isFalse();
  }

  @Test
  void noRows_none_andMismatchedLengthsRejected() {
    assertThat(Gain.bootstrap(new double[0], new double[0], 1)).isEqualTo(Gain.none());
    assertThat(Gain.none().confidentlyBelow(1)).isFalse();
    assertThat(Gain.none().toString()).isEqualTo("n/a (0 rows)");
    assertThatThrownBy(() -> Gain.bootstrap(new double[1], new double[2], 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 vs 2");
  }
}
