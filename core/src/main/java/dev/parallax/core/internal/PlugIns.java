package dev.parallax.core.internal;

import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SeamFailureException.Seam;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ReadyQueue;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A run's calls into plug-in code, each guarded. Seams a run cannot work without (the scheduling
 * queue, the admission) fail with a {@link SeamFailureException} naming them when they cannot be
 * opened; seams that only advise (the predictor, the fallback policy, tracing) may throw anything,
 * an {@link Error} included: it is logged and the run goes on as if they had no answer. Internal;
 * may change at any time.
 */
final class PlugIns {

  private static final Logger LOG = Logger.getLogger(Run.class.getName());

  /** Admits every call: stands in for an admission that could not be opened. */
  static final Admission NO_ADMISSION =
      new Admission() {
        @Override
        public boolean tryAcquire(PendingCall call) {
          return true;
        }

        @Override
        public void release(PendingCall call, AttemptSample sample) {}
      };

  private PlugIns() {}

  static ReadyQueue<CallNode> openQueue(
      EngineSettings settings, String runId, List<CallNode> calls) {
    try {
      return Objects.requireNonNull(
          settings.scheduling().newQueue(calls), "the scheduling policy gave no queue");
    } catch (Throwable e) {
      throw new SeamFailureException(
          Seam.SCHEDULING, "the scheduling policy could not open the queue of run " + runId, e);
    }
  }

  static Admission openAdmission(EngineSettings settings, String runId, Runnable capacity) {
    try {
      return Objects.requireNonNull(
          settings.admission().open(runId, capacity), "the admission control gave no admission");
    } catch (Throwable e) {
      throw new SeamFailureException(
          Seam.ADMISSION, "the admission control could not open the admission of run " + runId, e);
    }
  }

  static @Nullable Prediction predict(EngineSettings settings, CallNode node) {
    try {
      return settings.predictor().predict(node);
    } catch (Throwable e) {
      return null; // a broken predictor must not break the run
    }
  }

  static FallbackPolicy.@Nullable Swap replacementFor(EngineSettings settings, CallNode node) {
    try {
      return settings.fallback().replaceBeforeStart(node);
    } catch (Throwable e) {
      Guard.log(LOG, "fallback policy threw; " + node + " keeps its tool", e);
      return null;
    }
  }

  static FallbackPolicy.@Nullable Swap alternativeFor(
      EngineSettings settings, CallNode node, Throwable error) {
    try {
      return settings.fallback().alternativeAfterFailure(node, error, node.triedTools());
    } catch (Throwable e) {
      Guard.log(LOG, "fallback policy threw; " + node + " fails", e);
      return null;
    }
  }

  /** Runs a tracing action; tracing only watches, so what it throws is logged and ignored. */
  static void traced(Runnable action) {
    try {
      action.run();
    } catch (Throwable e) {
      Guard.log(LOG, "tracing threw; ignored", e);
    }
  }
}
