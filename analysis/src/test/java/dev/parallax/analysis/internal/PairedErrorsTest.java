package dev.parallax.analysis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PairedErrorsTest {

  @Test
  void ratio_isTheSumOfModelErrorsOverTheBaselines() {
    PairedErrors e = new PairedErrors(new double[] {1, 2, 3}, new double[] {2, 2, 2});
    assertThat(e.rows()).isEqualTo(3);
    assertThat(e.modelMean()).isEqualTo(2.0);
    assertThat(e.baselineMean()).isEqualTo(2.0);
    assertThat(e.ratio()).isEqualTo(1.0);
  }

  @Test
  void interval_containsTheRatio_isReproducible_andNarrowsWithMoreRows() {
    double[] model = new double[40];
    double[] base = new double[40];
    for (int i = 0; i < 40; i++) {
      model[i] = 0.5 + (i % 7) * 0.1;
      base[i] = 1.0 + (i % 5) * 0.1;
    }
    PairedErrors e = new PairedErrors(model, base);
    double[] ci = e.ratioInterval(1000, 0.95, 1);
    assertThat(ci[0]).isLessThan(e.ratio()).isGreaterThan(0);
    assertThat(ci[1]).isGreaterThan(e.ratio()).isLessThan(1);
    assertThat(e.ratioInterval(1000, 0.95, 1)).containsExactly(ci);

    double[] model4 = new double[160];
    double[] base4 = new double[160];
    for (int i = 0; i < 160; i++) {
      model4[i] = model[i % 40];
      base4[i] = base[i % 40];
    }
    double[] wide = new PairedErrors(model4, base4).ratioInterval(1000, 0.95, 1);
    assertThat(wide[1] - wide[0]).isLessThan(ci[1] - ci[0]);
  }

  @Test
  void identicalErrors_giveTheRatioOneWithNoSpread() {
    PairedErrors e = new PairedErrors(new double[] {0.2, 0.9, 0.4}, new double[] {0.2, 0.9, 0.4});
    assertThat(e.ratioInterval(500, 0.95, 3)).containsExactly(1.0, 1.0);
  }

  @Test
  void averageInterval_weighsEachInstanceTheSame() {
    PairedErrors half = new PairedErrors(new double[] {1, 1}, new double[] {2, 2});
    PairedErrors one =
        new PairedErrors(new double[] {1, 1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1, 1});
    double[] ci = PairedErrors.averageRatioInterval(List.of(half, one), 200, 0.9, 5);
    assertThat(ci[0]).isCloseTo(0.75, within(1e-12));
    assertThat(ci[1]).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void noRows_giveNaN_andMismatchedRowsAreRefused() {
    PairedErrors none = new PairedErrors(new double[0], new double[0]);
    assertThat(none.ratio()).isNaN();
    assertThat(none.ratioInterval(100, 0.95, 1)).containsExactly(Double.NaN, Double.NaN);
    assertThatThrownBy(() -> new PairedErrors(new double[1], new double[2]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 and 2");
  }
}
