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

  /**
   * Nine runs of 60 rows: on eight the model halves the error, on one it doubles it. Resampling
   * rows calls the model confidently better (540 "independent" rows); resampling runs does not,
   * because one run in nine going wrong is what the next run may do.
   */
  @Test
  void clusterBootstrap_oneRunOfNineGoesWrong_notConfidentlyBetter_whereRowsWouldSayItIs() {
    int runs = 9;
    int perRun = 60;
    double[] model = new double[runs * perRun];
    double[] reference = new double[runs * perRun];
    String[] run = new String[runs * perRun];
    SplittableRandom r = new SplittableRandom(3);
    for (int g = 0; g < runs; g++) {
      for (int i = 0; i < perRun; i++) {
        int row = g * perRun + i;
        reference[row] = 0.5 + r.nextDouble();
        model[row] = reference[row] * (g == 0 ? 4.0 : 0.5) * (0.9 + 0.2 * r.nextDouble());
        run[row] = "run-" + g;
      }
    }
    Gain rows = Gain.bootstrap(model, reference, 11);
    Gain clustered = Gain.clusterBootstrap(model, reference, run, 11);
    assertThat(clustered.ratio()).isEqualTo(rows.ratio());
    assertThat(clustered.rows()).isEqualTo(rows.rows());
    assertThat(rows.confidentlyBelow(1)).isTrue();
    assertThat(clustered.confidentlyBelow(1)).isFalse();
    assertThat(clustered.high()).isGreaterThan(rows.high());
  }

  @Test
  void clusterBootstrap_everyRunAgrees_confidentlyBetter_andReproducible() {
    double[] model = new double[200];
    double[] reference = new double[200];
    String[] run = new String[200];
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < 200; i++) {
      reference[i] = 0.5 + r.nextDouble();
      model[i] = reference[i] * 0.6 * (0.9 + 0.2 * r.nextDouble());
      run[i] = "run-" + i % 5;
    }
    Gain g = Gain.clusterBootstrap(model, reference, run, 1);
    assertThat(g.confidentlyBelow(0.7)).isTrue();
    assertThat(Gain.clusterBootstrap(model, reference, run, 1)).isEqualTo(g);
  }

  @Test
  void clusterBootstrap_badInput() {
    assertThat(Gain.clusterBootstrap(new double[0], new double[0], new String[0], 1).rows())
        .isZero();
    assertThatThrownBy(
            () -> Gain.clusterBootstrap(new double[2], new double[2], new String[] {"a"}, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PairedBootstrap.clusterInterval(List.of(), 0, 0.95, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PairedBootstrap.clusterInterval(List.of(), 100, 0.95, 1)[0]).isNaN();
  }
}
