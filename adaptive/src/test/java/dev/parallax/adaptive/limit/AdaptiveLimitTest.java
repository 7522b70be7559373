package dev.parallax.adaptive.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The limit as a state machine: fixed sample sequences, fixed results. */
class AdaptiveLimitTest {

  private static final long REF = 100_000_000L;

  private static AdaptiveLimit limit(int initial) {
    return AdaptiveLimit.builder().initialLimit(initial).minLimit(2).maxLimit(30).build();
  }

  /** Feeds {@code windows} full windows at the current limit with the given latency factor. */
  private static void feed(AdaptiveLimit l, int windows, double factor, boolean failed) {
    for (int w = 0; w < windows; w++) {
      int n = Math.max(10, l.limit()) * 3; // covers the skipped samples after a change
      for (int i = 0; i < n; i++) {
        l.onSample((long) (REF * factor), l.limit(), failed, REF);
      }
    }
  }

  @Test
  void latencyAtReference_limitGrowsUpToMax() {
    AdaptiveLimit l = limit(5);
    feed(l, 100, 1.0, false);
    assertThat(l.limit()).isEqualTo(30);
  }

  @Test
  void latencyFarAboveReference_limitShrinksDownToMin() {
    AdaptiveLimit l = limit(20);
    feed(l, 50, 3.0, false);
    assertThat(l.limit()).isEqualTo(2);
  }

  @Test
  void latencyProportionalToExcessLoad_limitSettlesWhereLatencyIsWithinTolerance() {
    AdaptiveLimit l = limit(4);
    int capacity = 12;
    for (int i = 0; i < 20_000; i++) {
      double factor = Math.max(1, (double) l.limit() / capacity);
      l.onSample((long) (REF * factor), l.limit(), false, REF);
    }
    // the default tolerance 0.25: latency about 1.25 x the reference, so about 1.25 x capacity
    assertThat(l.limit()).isBetween(capacity + 1, (int) Math.ceil(1.25 * capacity));
  }

  @Test
  void failures_shrinkTheLimitEvenAtReferenceLatency() {
    AdaptiveLimit l = limit(20);
    feed(l, 5, 1.0, true);
    assertThat(l.limit()).isLessThan(20);
  }

  @Test
  void callerUsesLessThanHalf_limitDoesNotGrow() {
    AdaptiveLimit l = limit(20);
    for (int i = 0; i < 1000; i++) {
      l.onSample(REF, 3, false, REF);
    }
    assertThat(l.limit()).isEqualTo(20);
  }

  @Test
  void noReference_latencyRisesWithoutLoad_cutsThenRemeasuresInsteadOfStarving() {
    AdaptiveLimit l = limit(10);
    for (int i = 0; i < 300; i++) {
      l.onSample(REF, l.limit(), false, 0);
    }
    int grown = l.limit();
    assertThat(grown).isGreaterThan(10);
    int lowest = grown;
    for (int i = 0; i < 3000; i++) {
      l.onSample(REF * 3, l.limit(), false, 0);
      lowest = Math.min(lowest, l.limit());
    }
    // three times slower at the same concurrency: first read as a queue, so the limit is cut ...
    assertThat(lowest).isLessThan(grown);
    // ... and once it is back at the levels it measured fast, it measures them again: the latency
    // does not grow with concurrency, so it grows back instead of walking down to its minimum
    assertThat(l.limit()).isGreaterThan(lowest);
  }

  @Test
  void noReference_latencyGrowsWithLoad_settlesNearTheKnee() {
    AdaptiveLimit l = limit(4);
    int capacity = 12;
    for (int i = 0; i < 20_000; i++) {
      double factor = Math.max(1, (double) l.limit() / capacity);
      l.onSample((long) (REF * factor), l.limit(), false, 0);
    }
    assertThat(l.limit()).isBetween(capacity + 1, (int) Math.ceil(1.25 * capacity) + 1);
  }

  /**
   * The bug of the cold start (issue 14, item 6): the first 30 samples, fast by chance, became the
   * no-load reference, every later window looked overloaded, and the limit starved far below the
   * backend's capacity.
   */
  @Test
  void coldStart_luckyFastFirstSamples_doNotStarveTheLimitBelowCapacity() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
    int capacity = 20;
    for (int i = 0; i < 30; i++) {
      l.onSample((long) (0.6 * REF), l.limit(), false, 0);
    }
    int lowest = Integer.MAX_VALUE;
    for (int i = 0; i < 20_000; i++) {
      double factor = Math.max(1, (double) l.limit() / capacity);
      l.onSample((long) (REF * factor), l.limit(), false, 0);
      if (i >= 5_000) {
        lowest = Math.min(lowest, l.limit());
      }
    }
    assertThat(lowest).isGreaterThanOrEqualTo(capacity);
  }

  /**
   * The bug seen on the loopback HTTP server (issue 14, item 6): a server with a bounded queue
   * rejects at once every call above its bound; with a target above that bound (here the supplied
   * reference is twice the truth) the limit was cut back after the rejections but jumped straight
   * back to the target each time its hold ended, and a quarter of the calls failed. Levels at or
   * above the lowest failed one are climbed one step a window: the probing costs one level.
   */
  @Test
  void boundedQueue_targetAboveTheBound_probesTheRejectingLevelsOneStepAtATime() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
    int workers = 8;
    int bound = 16; // workers + queue: above it the server answers at once with a rejection
    long calls = 0;
    long failures = 0;
    int lowest = Integer.MAX_VALUE;
    for (int i = 0; i < 40_000; i++) {
      int n = l.limit();
      boolean rejected = n > bound && i % n < n - bound;
      long latency = rejected ? REF / 20 : (long) (REF * Math.max(1, (double) n / workers));
      l.onSample(latency, n, rejected, 2 * REF);
      if (i >= 20_000) {
        calls++;
        failures += rejected ? 1 : 0;
        lowest = Math.min(lowest, l.limit());
      }
    }
    assertThat((double) failures / calls).as("share of calls rejected").isLessThan(0.02);
    assertThat(lowest).as("lowest limit once settled").isGreaterThanOrEqualTo(bound - 2);
  }

  /**
   * The bug traced on the loopback HTTP server (issue 14, item 6; httpcap8): with a target above a
   * bounded queue (16), the limit jumped from 16 to 20-25 in one window; the calls started to fill
   * the new slots (17, 18, ...) were rejected, and the retreat remembered the limit (24) as the
   * level that failed, not the level where the failures began (17). The next window aimed at 23.8:
   * below 24, so not held to one step, and rounded to 24 — the rejecting levels again, every few
   * windows (18 retreats from 17-25 in 24 runs of 2 s). A retreat now remembers the lowest level
   * whose call failed. In this model the limit jumped past 17 seven times in 5,000 calls before.
   */
  @Test
  @Timeout(10)
  void boundedQueue_callsRampingUpPastTheBound_aRetreatRemembersWhereTheFailuresBegan() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
    int workers = 8;
    int bound = 16; // workers + queue: a call started with more in flight is rejected at once
    int inFlight = l.limit(); // the calls of the previous limit, in flight
    int previous = l.limit();
    boolean cut = false;
    int jumps = 0; // increases past bound + 1 after the first decrease (slow start's is allowed)
    long failures = 0;
    for (int i = 0; i < 5_000; i++) {
      int n = l.limit();
      // after an increase the new slots fill one call at a time: they start at old+1 .. n
      inFlight = inFlight < n ? inFlight + 1 : n;
      boolean rejected = inFlight > bound;
      long latency =
          rejected
              ? REF / 20
              : (long) (REF * Math.max(1, (double) Math.min(inFlight, bound) / workers));
      l.onSample(latency, inFlight, rejected, (long) (2.4 * REF)); // target 24, above the bound
      failures += rejected ? 1 : 0;
      if (l.limit() < previous) {
        cut = true;
      } else if (cut && l.limit() > previous && l.limit() > bound + 1) {
        jumps++;
      }
      previous = l.limit();
    }
    assertThat((double) failures / 5_000).as("share of calls rejected").isLessThan(0.02);
    assertThat(jumps)
        .as("increases past the bound + 1 after the first retreat (bound %d)", bound)
        .isZero();
  }

  /**
   * The same server seen as a closed-loop client sees it: a rejection comes back twenty times
   * faster than a served call, so a slot above the bound fires twenty times as often and a window
   * one level above the bound is mostly failures (measured on the loopback HTTP server: 20 of 30).
   * Failures above the last level without them end the window at once: a probe costs a few calls,
   * not a window of them.
   */
  @Test
  void boundedQueue_fastRejections_aProbeAboveTheBoundCostsAFewCallsNotAWindow() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
    int workers = 8;
    int bound = 16;
    Random random = new Random(1);
    long calls = 0;
    long failures = 0;
    for (int i = 0; i < 40_000; i++) {
      int n = l.limit();
      double fast = 20.0 * Math.max(0, n - bound);
      boolean rejected = random.nextDouble() < fast / (fast + Math.min(n, bound));
      long latency = rejected ? REF / 20 : (long) (REF * Math.max(1, (double) n / workers));
      l.onSample(latency, n, rejected, 2 * REF);
      if (i >= 20_000) {
        calls++;
        failures += rejected ? 1 : 0;
      }
    }
    assertThat((double) failures / calls).as("share of calls rejected").isLessThan(0.02);
    assertThat(l.limit()).isBetween(bound - 2, bound + 1);
  }

  /**
   * The bug seen on the loopback HTTP server under machine load (issue 14, item 6): right after
   * slow start doubled the limit from 8 to 16, one timed-out call (a stall of the machine, not the
   * new level) sent the limit back to 8 at once, and climbing back cost a good part of a run. A
   * probe is abandoned at once on its second failed call; one alone is left to the window.
   */
  @Test
  void slowStart_oneFailedCallOfTheProbe_doesNotHalveTheLimit() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(8).maxLimit(200).build();
    for (int i = 0; i < 10; i++) {
      l.onSample(REF, 8, false, REF);
    }
    assertThat(l.limit()).as("slow start doubled").isEqualTo(16);

    l.onSample(REF, 12, true, REF);
    assertThat(l.limit()).as("after one failed call of the probe").isEqualTo(16);

    l.onSample(REF, 13, true, REF);
    assertThat(l.limit()).as("after the second: back to the last good level").isEqualTo(8);
  }

  /**
   * The bug seen on the loopback HTTP server: after slow start doubled the limit from 8 to 16, the
   * calls started to fill the 8 new slots recorded 9..16 calls in flight, though they ran with 16;
   * the first window at 16 counted them, its mean level and throughput came out low and it cut the
   * limit to 13 though the target was 15. Those calls are skipped with the old limit's.
   */
  @Test
  void increase_callsThatRampedUpToTheNewLimit_areNotMeasuredAtTheLevelTheyRecorded() {
    AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(8).maxLimit(200).build();
    int knee = 12; // latency REF up to 12 in flight, proportional above
    for (int i = 0; i < 10; i++) {
      l.onSample(REF, 8, false, REF);
    }
    assertThat(l.limit()).as("slow start doubled").isEqualTo(16);
    long atSixteen = REF * 16 / knee;
    for (int i = 0; i < 8; i++) {
      l.onSample(REF, 8, false, REF); // in flight before the change
    }
    for (int n = 9; n <= 16; n++) {
      l.onSample(atSixteen, n, false, REF); // started in the ramp, ran with 16 in flight
    }
    for (int i = 0; i < 100 && l.limit() == 16; i++) {
      l.onSample(atSixteen, 16, false, REF);
    }
    // the target is 1.25 x the knee: 15
    assertThat(l.limit()).isEqualTo((int) Math.round(1.25 * knee));
  }

  /**
   * The bug seen on the loopback HTTP server (issue 14, item 6): after the server lost half its
   * workers, the capacity measured before (the highest throughput of the last 8 windows) stayed
   * until 8 more windows had passed — quick retreats from rejected probes record no window, and a
   * window whose target is within its noise of the limit grows up to 8 times — so the limit kept
   * aiming at the old knee. A window past the knee measures the capacity itself: a remembered
   * capacity above its throughput's upper bound is forgotten at once. Exponential service times (as
   * on the server); before the fix the limit took 573 to 1,924 calls to come down to 7 on these
   * seeds (once never within 5,000), after it 21 to 128.
   */
  @Test
  void capacityHalves_staleCapacityIsForgotten_limitFollowsTheNewKneeWithinAFewWindows() {
    for (long seed = 1; seed <= 10; seed++) {
      AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8;
      int queue = 8; // above workers + queue in flight, the server rejects at once
      int calls = -1;
      for (int i = 0; i < 25_000 && calls < 0; i++) {
        if (i == 20_000) {
          assertThat(l.limit()).as("seed %d: limit before halving (knee 8)", seed).isBetween(9, 16);
          workers = 4; // the knee is now 4
        }
        int n = l.limit();
        boolean rejected = n > workers + queue && random.nextInt(n) >= workers + queue;
        double service = -Math.log(1 - random.nextDouble()); // exponential, mean 1
        long latency =
            rejected ? REF / 20 : (long) (REF * Math.max(1, (double) n / workers) * service);
        l.onSample(latency, n, rejected, 0);
        if (i >= 20_000 && l.limit() <= 7) {
          calls = i - 20_000 + 1;
        }
      }
      assertThat(calls)
          .as("seed %d: calls until the limit followed the new knee", seed)
          .isBetween(1, 300);
    }
  }

  /**
   * The dip seen on the loopback HTTP server on a loaded machine (issue 14, item 6): the client
   * stalled for about one window (every call finishing in it took longer), that one window past the
   * knee refuted every remembered capacity, and the limit was cut by up to half (13 to 7) with the
   * backend unchanged, then climbed back one step a window for most of a second. A remembered
   * capacity is now forgotten only when two windows in a row refute it.
   */
  @Test
  void clientStallOfOneWindow_backendUnchanged_limitIsNotCutBelowTheKnee() {
    for (long seed = 1; seed <= 10; seed++) {
      AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8;
      int stallAt = 20_000;
      int lowest = Integer.MAX_VALUE;
      for (int i = 0; i < 23_000; i++) {
        int n = l.limit();
        double service = -Math.log(1 - random.nextDouble()); // exponential, mean 1
        double stall = i >= stallAt && i < stallAt + 30 ? 3 : 1; // one window's calls, 3x slower
        long latency = (long) (REF * stall * Math.max(1, (double) n / workers) * service);
        l.onSample(latency, n, false, 0);
        if (i >= stallAt) {
          lowest = Math.min(lowest, l.limit());
        }
      }
      assertThat(lowest)
          .as("seed %d: lowest limit after the stall (knee 8)", seed)
          .isGreaterThanOrEqualTo(workers);
    }
  }

  /**
   * What the full bench showed of the candidate that let only the lowest level raise R0 (issue 14,
   * item 6; one repeat in five collapsed to half the goodput): on the loopback HTTP server R0
   * includes the client's own overhead, which rises with the machine's load. Here the no-load
   * latency doubles mid-run (a delay outside the backend's 8 workers: the knee rises from 8 to 16)
   * and the backend's capacity does not change. The windows past the old knee look like a lost
   * capacity; a probe at half the limit tells them apart, and the limit must settle at or above the
   * new knee instead of walking down.
   */
  @Test
  void noLoadLatencyDoubles_capacityUnchanged_limitFollowsTheRisingKneeInsteadOfCollapsing() {
    for (long seed = 1; seed <= 10; seed++) {
      AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8;
      double delay = 0; // in units of the service time, outside the workers
      int lowest = Integer.MAX_VALUE;
      long sum = 0;
      int count = 0;
      for (int i = 0; i < 40_000; i++) {
        if (i == 20_000) {
          delay = 1; // the knee is now 16
        }
        int n = l.limit();
        double service = -Math.log(1 - random.nextDouble()); // exponential, mean 1
        long latency = (long) (REF * Math.max(1 + delay, (double) n / workers) * service);
        l.onSample(latency, n, false, 0);
        if (i >= 20_000) {
          lowest = Math.min(lowest, l.limit());
        }
        if (i >= 30_000) {
          sum += l.limit();
          count++;
        }
      }
      double mean = (double) sum / count;
      assertThat(mean)
          .as("seed %d: mean limit once settled after the rise (new knee 16)", seed)
          .isBetween(16.0, 1.5 * 1.25 * 16);
      assertThat(lowest)
          .as("seed %d: lowest limit after the rise (old knee 8)", seed)
          .isGreaterThanOrEqualTo(workers / 2);
    }
  }

  /**
   * The collapse of the 2nd HTTP repeat of the capacity bench (issue 14, item 6; httpcap7): the
   * first 30 calls of that repeat's server were by chance fast (their waits averaged 0.73 of the
   * mean), the slow start's first window put R0 below the truth, and the rule that keeps windows
   * above the lowest level from raising R0 (against the ratchet after a halving) froze it there:
   * the target stayed about the limit itself and the limit sat at 6-8 below a knee of 11 for the
   * whole run. Every window re-measures while R0 rests on fewer than a pool's worth of samples.
   */
  @Test
  @Timeout(10)
  void luckyFastFirstWindow_noLoadLatencyUnderestimated_limitStillReachesTheKnee() {
    for (long seed = 1; seed <= 10; seed++) {
      AdaptiveLimit l = AdaptiveLimit.builder().initialLimit(4).maxLimit(200).build();
      Random random = new Random(seed);
      int workers = 8;
      long used = 0;
      int count = 0;
      for (int i = 0; i < 1_000; i++) {
        int n = l.limit();
        double service = -Math.log(1 - random.nextDouble()); // exponential, mean 1
        if (i < 30) {
          service *= 0.7; // the first window's calls were fast by chance
        }
        long latency = (long) (REF * Math.max(1, (double) n / workers) * service);
        l.onSample(latency, n, false, 0);
        if (i >= 200) {
          used += Math.min(workers, l.limit()); // workers kept busy, at most all of them
          count++;
        }
      }
      assertThat((double) used / count)
          .as("seed %d: mean busy workers (of %d) after the slow start", seed, workers)
          .isGreaterThanOrEqualTo(0.95 * workers);
    }
  }

  @Test
  void nonPositiveLatency_isIgnored() {
    AdaptiveLimit l = limit(10);
    for (int i = 0; i < 1000; i++) {
      assertThat(l.onSample(0, 10, true, REF)).isEqualTo(10);
      l.onSample(-5, 10, true, REF);
    }
    assertThat(l.limit()).isEqualTo(10);
  }

  @Test
  void builder_conflictingBounds_failsWithTheValues() {
    assertThatThrownBy(() -> AdaptiveLimit.builder().minLimit(10).maxLimit(5).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minLimit 10 > maxLimit 5");
    assertThatThrownBy(() -> AdaptiveLimit.builder().latencyTolerance(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was 0.0");
  }
}
