package dev.parallax.adaptive.limit.netflix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import dev.parallax.adaptive.limit.AdaptiveAdmissionControl;
import dev.parallax.adaptive.limit.ConcurrencyLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real Netflix limits behind the adapter, fed one fixed sample sequence. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NetflixConcurrencyLimitTest {

  private record Sample(long latencyNanos, int inFlight, boolean failed) {}

  private static final long MS = 1_000_000L;
  private static final int INITIAL = 10;

  /**
   * 150 calls at 10 ms with 40 in flight (a backend with room to spare), then 150 calls at 50 ms
   * with 100 in flight, every fifth failing (the same backend overloaded). In-flight counts at or
   * above half the limit: Gradient2 and AIMD do not move a limit the caller does not use.
   */
  private static final List<Sample> SEQUENCE = sequence();

  private static final int LIGHT = 150;

  private static List<Sample> sequence() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < LIGHT; i++) {
      samples.add(new Sample(10 * MS, 40, false));
    }
    for (int i = 0; i < 150; i++) {
      samples.add(new Sample(50 * MS, 100, i % 5 == 4));
    }
    return List.copyOf(samples);
  }

  static Stream<Arguments> limits() {
    // Vegas probes its no-load latency again at a random multiple of its limit; a large multiplier
    // keeps the probe out of this sequence, so the run is deterministic.
    Supplier<Limit> vegas =
        () -> VegasLimit.newBuilder().initialLimit(INITIAL).probeMultiplier(1_000).build();
    Supplier<Limit> gradient2 = () -> Gradient2Limit.newBuilder().initialLimit(INITIAL).build();
    Supplier<Limit> aimd = () -> AIMDLimit.newBuilder().initialLimit(INITIAL).build();
    return Stream.of(
        Arguments.of("Vegas", vegas),
        Arguments.of("Gradient2", gradient2),
        Arguments.of("AIMD", aimd));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void fedTheSameSamples_theAdapterAnswersExactlyWhatTheNetflixLimitDoes(
      String name, Supplier<Limit> netflix) {
    ConcurrencyLimit adapted = NetflixConcurrencyLimit.of(netflix.get());
    Limit twin = netflix.get();
    assertThat(adapted.limit()).isEqualTo(twin.getLimit()).isEqualTo(INITIAL);

    for (int i = 0; i < SEQUENCE.size(); i++) {
      Sample s = SEQUENCE.get(i);
      twin.onSample(0L, s.latencyNanos(), s.inFlight(), s.failed());
      int limit = adapted.onSample(s.latencyNanos(), s.inFlight(), s.failed(), 10 * MS);
      assertThat(limit).as("%s after sample %d", name, i).isEqualTo(twin.getLimit());
      assertThat(adapted.limit()).isEqualTo(limit);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("limits")
  void underLightLoad_theLimitGrows_andUnderOverload_itShrinks(
      String name, Supplier<Limit> netflix) {
    ConcurrencyLimit adapted = NetflixConcurrencyLimit.of(netflix.get());
    int afterLight = INITIAL;
    for (int i = 0; i < SEQUENCE.size(); i++) {
      Sample s = SEQUENCE.get(i);
      int limit = adapted.onSample(s.latencyNanos(), s.inFlight(), s.failed(), 0);
      assertThat(limit).as("%s after sample %d", name, i).isGreaterThanOrEqualTo(1);
      if (i == LIGHT - 1) {
        afterLight = limit;
      }
    }
    assertThat(afterLight).as("%s after the light phase", name).isGreaterThan(INITIAL);
    assertThat(adapted.limit()).as("%s after the overload", name).isLessThan(afterLight);
  }

  @Test
  void aNonPositiveLatency_isNotASample() {
    AIMDLimit aimd = AIMDLimit.newBuilder().initialLimit(INITIAL).build();
    ConcurrencyLimit adapted = NetflixConcurrencyLimit.of(aimd);

    assertThat(adapted.onSample(0, 40, true, 0)).isEqualTo(INITIAL);
    assertThat(adapted.onSample(-5, 40, true, 0)).isEqualTo(INITIAL);
  }

  @Test
  void aWindowedLimit_isRefused_becauseItNeedsStartTimes() {
    WindowedLimit windowed = WindowedLimit.newBuilder().build(VegasLimit.newDefault());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> NetflixConcurrencyLimit.of(windowed))
        .withMessageContaining("WindowedLimit needs the start time");
  }

  @Test
  void admissionControl_runsANetflixLimitPerBackend() {
    AdaptiveAdmissionControl control =
        AdaptiveAdmissionControl.builder()
            .limits(
                () -> NetflixConcurrencyLimit.of(AIMDLimit.newBuilder().initialLimit(7).build()))
            .build();

    assertThat(control.limit("search")).isEqualTo(7);
  }
}
