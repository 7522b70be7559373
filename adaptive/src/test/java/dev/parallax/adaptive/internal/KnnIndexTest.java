package dev.parallax.adaptive.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class KnnIndexTest {

  private static Row row(double logSize, double logLatency) {
    return new Row(
        "t",
        new String[] {"log.size", "tool=t"},
        new double[] {logSize, 1},
        logLatency,
        true,
        Double.NaN,
        Double.NaN,
        0,
        "");
  }

  @Test
  void predict_isTheMeanOfTheNearestRows_stepFunction() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i, i < 20 ? 0 : 3)); // a step at 20: no line fits it
    }
    KnnIndex index = KnnIndex.build(rows, 5);
    assertThat(index).isNotNull();
    assertThat(index.predict(new String[] {"log.size"}, new double[] {5}))
        .isCloseTo(0, within(1e-9));
    assertThat(index.predict(new String[] {"log.size"}, new double[] {35}))
        .isCloseTo(3, within(1e-9));
  }

  @Test
  void predict_tiesAtTheKthDistanceAreAllIncluded_notAnArbitraryK() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(row(i % 2, i)); // 15 rows at size 0 with latencies 0, 2, ..., 28
    }
    KnnIndex index = KnnIndex.build(rows, 5);
    // the 15 rows at distance 0 all count: their mean is 14
    assertThat(index.predict(new String[] {"log.size"}, new double[] {0}))
        .isCloseTo(14, within(1e-9));
  }

  @Test
  void build_withoutAVaryingFeatureOrTooFewRows_givesNoIndex() {
    List<Row> constant = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      constant.add(row(1, i));
    }
    assertThat(KnnIndex.build(constant, 5)).isNull();
    assertThat(KnnIndex.build(List.of(row(1, 1), row(2, 2)), 5)).isNull();
  }

  @Test
  void missingFeature_countsAsZero_asInTraining() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i, i < 20 ? 0 : 3));
    }
    KnnIndex index = KnnIndex.build(rows, 5);
    assertThat(index.predict(new String[] {"tool=t"}, new double[] {1})).isCloseTo(0, within(1e-9));
  }

  @Test
  void reach_aCallFartherThanTheReachGetsNoAnswer_oneWithinDoes() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i % 20, i < 20 ? 0 : 3)); // sizes 0..19, twice
    }
    KnnIndex unlimited = KnnIndex.build(rows, 5);
    assertThat(unlimited.reach()).isEqualTo(Double.POSITIVE_INFINITY);
    String[] names = {"log.size"};
    double far = unlimited.kthDistance(names, new double[] {100});
    double near = unlimited.kthDistance(names, new double[] {10});
    assertThat(near).isLessThan(far);
    assertThat(unlimited.predict(names, new double[] {100})).isFinite();

    KnnIndex limited = unlimited.withReach(near);
    assertThat(limited.reach()).isEqualTo(near);
    assertThat(limited.predict(names, new double[] {10}))
        .isEqualTo(unlimited.predict(names, new double[] {10}));
    assertThat(limited.predict(names, new double[] {100})).isNaN();
    assertThat(limited.k()).isEqualTo(5);
    assertThat(limited.points()).containsExactly(unlimited.points());
  }

  @Test
  void reach_negativeOrNaN_isRejected() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(row(i, i));
    }
    KnnIndex index = KnnIndex.build(rows, 5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.withReach(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> index.withReach(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
