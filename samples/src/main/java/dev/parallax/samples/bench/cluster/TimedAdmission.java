package dev.parallax.samples.bench.cluster;

import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's own records of where a permit's time goes on the submitting member: how long each
 * admission decision takes, how long a call holds its permit (admitted to released: dispatch, pool
 * wait, service and the way back), and how long a released permit stays unused before the run's
 * next admission (release to the next grant, paired first in first out). One run at a time: the
 * bench's submitter runs one batch after another.
 */
final class TimedAdmission implements AdmissionControl {

  private final AdmissionControl inner;
  private final int limit;
  private Stats stats = new Stats();

  TimedAdmission(AdmissionControl inner, int limit) {
    this.inner = inner;
    this.limit = limit;
  }

  /** The figures since the last call, as one line, and starts new ones. */
  synchronized String drain() {
    String line = stats.line();
    stats = new Stats();
    return line;
  }

  @Override
  public Admission open(String runId, Runnable capacityAvailable) {
    Admission admission = inner.open(runId, capacityAvailable);
    return new Admission() {
      @Override
      public boolean tryAcquire(PendingCall call) {
        long t0 = System.nanoTime();
        boolean granted = admission.tryAcquire(call);
        long t1 = System.nanoTime();
        synchronized (TimedAdmission.this) {
          stats.decided(call.callId(), granted, t0, t1, limit);
        }
        return granted;
      }

      @Override
      public void release(PendingCall call, AttemptSample sample) {
        long t = System.nanoTime();
        synchronized (TimedAdmission.this) {
          stats.released(call.callId(), t);
        }
        admission.release(call, sample);
      }

      @Override
      public void stopping() {
        admission.stopping();
      }

      @Override
      public void close() {
        admission.close();
      }
    };
  }

  private static final class Stats {
    long granted;
    long refused;
    long grantNanos;
    long refuseNanos;
    long maxGrantNanos;
    long holdNanos;
    long holds;
    long gapNanos;
    long gaps;
    final Map<String, Long> admittedAt = new HashMap<>();
    final ArrayDeque<Long> freed = new ArrayDeque<>();
    long firstAt;
    long waveGrantedAt;
    long firstReleaseAt;
    long firstWaveHoldNanos;
    int firstWaveHolds;
    int limit;
    final java.util.Set<String> firstWave = new java.util.HashSet<>();

    void decided(String id, boolean ok, long t0, long t1, int limit) {
      if (firstAt == 0) {
        firstAt = t0;
        this.limit = limit;
      }
      if (ok && granted < limit) {
        firstWave.add(id);
        if (granted + 1 == limit) {
          waveGrantedAt = t1;
        }
      }
      if (ok) {
        granted++;
        grantNanos += t1 - t0;
        maxGrantNanos = Math.max(maxGrantNanos, t1 - t0);
        admittedAt.put(id, t1);
        Long free = freed.poll();
        if (free != null) {
          gaps++;
          gapNanos += t1 - free;
        }
      } else {
        refused++;
        refuseNanos += t1 - t0;
      }
    }

    void released(String id, long t) {
      Long at = admittedAt.remove(id);
      if (at != null) {
        holds++;
        holdNanos += t - at;
        if (firstWave.contains(id)) {
          firstWaveHolds++;
          firstWaveHoldNanos += t - at;
        }
      }
      if (firstReleaseAt == 0) {
        firstReleaseAt = t;
      }
      freed.add(t);
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "granted %d (mean %.2f ms, max %.1f ms) refused %d (mean %.3f ms) hold mean %.1f ms"
              + " free-permit gap mean %.1f ms over %d; first wave of %d granted in %.1f ms, first"
              + " release at %.1f ms, first-wave hold mean %.1f ms",
          granted,
          granted == 0 ? 0 : grantNanos / 1e6 / granted,
          maxGrantNanos / 1e6,
          refused,
          refused == 0 ? 0 : refuseNanos / 1e6 / refused,
          holds == 0 ? 0 : holdNanos / 1e6 / holds,
          gaps == 0 ? 0 : gapNanos / 1e6 / gaps,
          gaps,
          limit,
          waveGrantedAt == 0 ? -1 : (waveGrantedAt - firstAt) / 1e6,
          firstReleaseAt == 0 ? -1 : (firstReleaseAt - firstAt) / 1e6,
          firstWaveHolds == 0 ? 0 : firstWaveHoldNanos / 1e6 / firstWaveHolds);
    }
  }
}
