package dev.parallax.samples.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parallax.samples.bench.model.Spread;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The repeat loop and its figures, on a fake clock: each variant advances it by a known cost. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InterleavedRepeatsTest {

  private final AtomicLong clock = new AtomicLong();
  private final List<String> order = new ArrayList<>();

  /** A variant whose run costs {@code nanos} on the fake clock and records that it ran. */
  private InterleavedRepeats.Variant costing(String name, long nanos) {
    return () -> {
      order.add(name);
      clock.addAndGet(nanos);
      return 1;
    };
  }

  @Test
  void ratio_isTheMedianOverRepeats_withMinAndMax_andWarmUpIsDiscarded() {
    AtomicInteger repeat = new AtomicInteger(-1);
    // the variant costs 100 ns per run in warm-up repeats 0-1, then 3, 2, 2, 2, 5 times the base
    long[] factor = {100, 100, 3, 2, 2, 2, 5};
    InterleavedRepeats.Variant base = costing("base", 10);
    InterleavedRepeats.Variant ours =
        () -> {
          order.add("ours");
          clock.addAndGet(10 * factor[repeat.get()]);
          return 1;
        };
    InterleavedRepeats.Result result =
        InterleavedRepeats.measure(
            new InterleavedRepeats.Settings(2, 5, 3, 4),
            List.of(base, ours),
            clock::get,
            repeat::incrementAndGet,
            ProgressListener.NONE,
            "test");

    Spread ratio = result.ratio(1, 0);
    assertThat(ratio.repeats()).containsExactly(3.0, 2.0, 2.0, 2.0, 5.0);
    assertThat(ratio.median()).isEqualTo(2.0);
    assertThat(ratio.min()).isEqualTo(2.0);
    assertThat(ratio.max()).isEqualTo(5.0);
    assertThat(result.repeatMedians(0)).containsOnly(10.0);
    assertThat(result.medianNanos(0)).isEqualTo(10.0);
    assertThat(result.samples(1)).hasSize(5 * 3);
    assertThat(result.runs()).containsExactly(7 * 3 * 4, 7 * 3 * 4);
    assertThat(result.succeeded()).containsExactly(7 * 3 * 4, 7 * 3 * 4);
  }

  @Test
  void ratio_isFormedTurnByTurn_soASlowdownReachingBothVariantsCancels() {
    // turn by turn the machine slows down (1x, 3x, 9x), hitting both variants of the turn alike
    long[] slowdown = {1, 3, 9};
    AtomicInteger runs = new AtomicInteger();
    InterleavedRepeats.Variant base =
        () -> {
          clock.addAndGet(10 * slowdown[(runs.getAndIncrement() / 2) % 3]);
          return 1;
        };
    InterleavedRepeats.Variant ours =
        () -> {
          clock.addAndGet(15 * slowdown[(runs.getAndIncrement() / 2) % 3]);
          return 1;
        };
    InterleavedRepeats.Result result =
        InterleavedRepeats.measure(
            new InterleavedRepeats.Settings(0, 1, 3, 1),
            List.of(base, ours),
            clock::get,
            () -> {},
            ProgressListener.NONE,
            "test");
    assertThat(result.ratio(1, 0).repeats()).containsExactly(1.5);
  }

  @Test
  void variantsAlternateSampleBySample_withTheOrderRotated() {
    InterleavedRepeats.measure(
        new InterleavedRepeats.Settings(0, 1, 3, 2),
        List.of(costing("a", 1), costing("b", 1), costing("c", 1)),
        clock::get,
        () -> {},
        ProgressListener.NONE,
        "test");
    assertThat(order)
        .containsExactly(
            "a", "a", "b", "b", "c", "c", // turn 0
            "b", "b", "c", "c", "a", "a", // turn 1
            "c", "c", "a", "a", "b", "b"); // turn 2
  }

  @Test
  void settle_runsOncePerSample_insideTheSamplesTime() {
    InterleavedRepeats.Variant base = costing("base", 10);
    InterleavedRepeats.Variant settling =
        new InterleavedRepeats.Variant() {
          @Override
          public int runOnce() {
            clock.addAndGet(10);
            return 1;
          }

          @Override
          public void settle() {
            order.add("settle");
            clock.addAndGet(40); // background work of 4 runs: 10 ns per run
          }
        };
    InterleavedRepeats.Result result =
        InterleavedRepeats.measure(
            new InterleavedRepeats.Settings(1, 5, 2, 4),
            List.of(base, settling),
            clock::get,
            () -> {},
            ProgressListener.NONE,
            "test");
    assertThat(order.stream().filter("settle"::equals)).hasSize(6 * 2);
    assertThat(result.ratio(1, 0).median()).isEqualTo(2.0);
  }

  @Test
  void progress_oneStepPerRepeat_warmUpIncluded() {
    List<String> phases = new ArrayList<>();
    AtomicInteger steps = new AtomicInteger();
    InterleavedRepeats.measure(
        new InterleavedRepeats.Settings(2, 5, 1, 1),
        List.of(costing("a", 1)),
        clock::get,
        () -> {},
        new ProgressListener() {
          @Override
          public void phase(String label, long count) {
            phases.add(label + "/" + count);
          }

          @Override
          public void step() {
            steps.incrementAndGet();
          }
        },
        "what");
    assertThat(phases).containsExactly("what/7");
    assertThat(steps).hasValue(7);
  }

  @Test
  void badSettings_areRejectedWithTheValues() {
    assertThatThrownBy(() -> new InterleavedRepeats.Settings(0, 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0, 0, 1, 1");
    assertThatThrownBy(() -> new InterleavedRepeats.Settings(-1, 5, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
