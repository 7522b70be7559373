package dev.parallax.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parallax.planner.sim.SimulatedCall;
import dev.parallax.planner.sim.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leave-one-instance-out with neighbours from the embedded history store's own search. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StoreNeighboursLoioTest {

  @Test
  void storeNeighbours_searchEveryTrainingTask_andBeatTheNewest512_whenTheHistoryIsLarger() {
    // latency is proportional to input_bytes (over 12 e-folds) with 1% noise: with k fixed, the
    // denser the neighbours, the narrower the range of sizes they span and the better the estimate.
    // 4 instances of 400 tasks: 1,200 training tasks per held-out
    // instance, of which the in-memory index keeps 512.
    List<TracedWorkflow> w = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      w.add(sized("i" + i + ".json", 400, i));
    }

    LoioEvaluation e =
        LeaveOneInstanceOut.builder()
            .storeNeighbours(5)
            .resamples(200)
            .build()
            .evaluateWorkflows("sized", w);

    NeighbourComparison n = e.neighbours();
    assertThat(n).isNotNull();
    assertThat(n.k()).isEqualTo(5);
    // the store held every training task; the in-memory variant the newest 512 of each instance's
    assertThat(n.store().rows()).isEqualTo(4 * 1200);
    assertThat(n.exact().rows()).isEqualTo(4 * 1200);
    assertThat(n.inMemory().rows()).isEqualTo(4 * 512);
    assertThat(n.store().answered()).isEqualTo(1.0);
    assertThat(n.store().medianQueryMicros()).isPositive();
    // the neighbours explain most of the error the per-tool mean makes
    assertThat(n.store().ratio()).isLessThan(0.5);
    // the full history's neighbours are nearer than the newest 512's
    assertThat(n.exact().ratio()).isLessThan(n.inMemory().ratio());
    // HNSW finds (about) the exact neighbours
    assertThat(n.store().ratio()).isLessThan(n.inMemory().ratio());
    assertThat(n.store().ratio()).isCloseTo(n.exact().ratio(), within(0.1 * n.exact().ratio()));
    assertThat(n.store().ratioLow()).isLessThanOrEqualTo(n.store().ratio());
    assertThat(n.store().ratioHigh()).isGreaterThanOrEqualTo(n.store().ratio());
    for (HeldOutInstance h : e.instances()) {
      NeighbourComparison one = h.neighbours();
      assertThat(one).isNotNull();
      assertThat(one.store().rows()).isEqualTo(1200);
      assertThat(one.inMemory().rows()).isEqualTo(512);
    }
    assertThat(n.store().ratio())
        .isCloseTo(
            e.instances().stream()
                .mapToDouble(h -> h.neighbours().store().ratio())
                .average()
                .orElseThrow(),
            within(1e-12));
  }

  @Test
  void storeNeighbours_areOffByDefault() {
    List<TracedWorkflow> w = List.of(sized("a.json", 40, 1), sized("b.json", 40, 2));

    LoioEvaluation e =
        LeaveOneInstanceOut.builder().resamples(100).build().evaluateWorkflows("x", w);

    assertThat(e.neighbours()).isNull();
    assertThat(e.instances()).allSatisfy(h -> assertThat(h.neighbours()).isNull());
  }

  @Test
  void storeNeighbours_kOutOfRange_isRejected() {
    assertThatThrownBy(() -> LeaveOneInstanceOut.builder().storeNeighbours(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0");
  }

  /** {@code n} independent tasks of tool "t", latency 1 µs per input byte, 1% noise. */
  private static TracedWorkflow sized(String file, int n, int seed) {
    Random random = new Random(seed);
    List<SimulatedCall> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double bytes = Math.exp(6 + 12 * random.nextDouble());
      double seconds = 1e-6 * bytes * Math.exp(0.01 * random.nextGaussian());
      calls.add(
          new SimulatedCall(
              "t" + i,
              "t",
              Map.of("input_bytes", bytes),
              List.of(),
              Duration.ofNanos(Math.round(seconds * 1e9)),
              true));
    }
    return TracedWorkflow.builder(file, InputFormat.WFFORMAT)
        .runs(List.of(new Workload(file, calls)))
        .build();
  }
}
