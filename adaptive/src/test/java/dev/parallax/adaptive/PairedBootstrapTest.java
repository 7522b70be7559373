package dev.parallax.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PairedBootstrapTest {

  private static PairedBootstrap.Stratum stratum(int n, double factor, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] ref = new double[n];
    double[] model = new double[n];
    for (int i = 0; i < n; i++) {
      ref[i] = r.nextDouble();
      model[i] = factor * ref[i] * (0.8 + 0.4 * r.nextDouble());
    }
    return new PairedBootstrap.Stratum(model, ref);
  }

  @Test
  void gainBootstrap_isTheOneStratumCase() {
    PairedBootstrap.Stratum s = stratum(200, 0.7, 1);
    Gain g = Gain.bootstrap(s.model(), s.reference(), 7);
    double[] interval = PairedBootstrap.interval(List.of(List.of(s)), 1000, 0.95, 7);
    assertThat(g.low()).isEqualTo(interval[0]);
    assertThat(g.high()).isEqualTo(interval[1]);
    assertThat(g.ratio()).isEqualTo(s.ratio());
    assertThat(g.low()).isLessThan(g.ratio());
    assertThat(g.high()).isGreaterThan(g.ratio());
  }

  @Test
  void stratified_everyStratumWeighsTheSame_whateverItsSize() {
    PairedBootstrap.Stratum small = stratum(20, 0.5, 2);
    PairedBootstrap.Stratum large = stratum(2000, 1.0, 3);
    double[] interval = PairedBootstrap.interval(List.of(List.of(small, large)), 1000, 0.95, 1);
    double average = (small.ratio() + large.ratio()) / 2;
    assertThat(interval[0]).isLessThan(average);
    assertThat(interval[1]).isGreaterThan(average);
    assertThat(interval[1]).isLessThan(0.9); // a pooled ratio would be close to 1
  }

  @Test
  void higherLevel_widerInterval_sameSeedSameInterval() {
    List<List<PairedBootstrap.Stratum>> g = List.of(List.of(stratum(100, 0.8, 4)));
    double[] i90 = PairedBootstrap.interval(g, 1000, 0.90, 5);
    double[] i99 = PairedBootstrap.interval(g, 1000, 0.99, 5);
    assertThat(i99[0]).isLessThan(i90[0]);
    assertThat(i99[1]).isGreaterThan(i90[1]);
    assertThat(PairedBootstrap.interval(g, 1000, 0.90, 5)).containsExactly(i90);
  }

  @Test
  void noRowsOrBadSettings() {
    assertThat(PairedBootstrap.interval(List.of(), 100, 0.95, 1))
        .containsExactly(Double.NaN, Double.NaN);
    assertThatThrownBy(() -> PairedBootstrap.interval(List.of(), 0, 0.95, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(() -> PairedBootstrap.interval(List.of(), 100, 1.0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.0");
    assertThatThrownBy(() -> new PairedBootstrap.Stratum(new double[1], new double[2]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
