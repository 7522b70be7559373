package dev.parallax.storage.neighbours;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallax.core.record.ExecutionRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ToolScaledVectorizerTest {

  @Test
  void squaredDistance_isTheStandardisedLogDistanceOfTheInMemoryModel() {
    List<ExecutionRecord> history = NeighbourData.history(200, 1);
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(history);
    // the in-memory model's rule, computed here from scratch for "parse": signed log1p of each
    // feature, standardised by the tool's mean and (population) standard deviation
    List<ExecutionRecord> parse = history.stream().filter(r -> r.tool().equals("parse")).toList();
    double[] items =
        parse.stream().mapToDouble(r -> Math.log1p(r.features().get("items"))).toArray();
    double[] depth =
        parse.stream().mapToDouble(r -> Math.log1p(r.features().get("depth"))).toArray();
    double mi = mean(items);
    double si = sd(items, mi);
    double md = mean(depth);
    double sdd = sd(depth, md);
    Map<String, Double> a = Map.of("items", 10.0, "depth", 1.0);
    Map<String, Double> b = Map.of("items", 500.0, "depth", 3.0);
    double di = (Math.log1p(10) - Math.log1p(500)) / si;
    double dd = (Math.log1p(1) - Math.log1p(3)) / sdd;

    double stored = squared(space.vector("parse", a), space.vector("parse", b));

    assertThat(stored).isCloseTo(di * di + dd * dd, within(1e-4));
    assertThat(space.featuresOf("parse")).containsExactly("depth", "items");
    assertThat(space.featuresOf("fetch")).containsExactly("bytes");
    assertThat(space.featureNames()).containsExactly("bytes", "depth", "items");
  }

  @Test
  void otherToolsCoordinates_areZero_andAnUnknownToolIsTheZeroVector() {
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(NeighbourData.history(50, 2));

    float[] fetch = space.vector("fetch", Map.of("bytes", 100.0, "items", 7.0));

    assertThat(fetch[1]).isZero();
    assertThat(fetch[2]).isZero();
    assertThat(fetch[0]).isNotZero();
    assertThat(space.vector("unknown", Map.of("bytes", 100.0))).containsOnly(0f);
  }

  @Test
  void fit_withoutAnyVaryingFeature_isRejected() {
    List<ExecutionRecord> same =
        List.of(
            NeighbourData.record(1, "t", Map.of("x", 1.0), 0.1),
            NeighbourData.record(2, "t", Map.of("x", 1.0), 0.2));

    assertThatThrownBy(() -> ToolScaledVectorizer.fit(same))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no feature varies");
  }

  @Test
  void fit_isDeterministic() {
    assertThat(ToolScaledVectorizer.fit(NeighbourData.history(80, 3)))
        .isEqualTo(ToolScaledVectorizer.fit(NeighbourData.history(80, 3)));
  }

  private static double squared(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return s;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double sd(double[] v, double m) {
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
