package dev.parallax.core.internal;

import dev.parallax.core.call.SeamFailureException;
import dev.parallax.core.call.SeamFailureException.Seam;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ReadyQueue;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.ScheduledRun;
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

  static Admission openAdmission(EngineSettings settings, ScheduledRun run, Runnable capacity) {
    String runId = run.runId();
    if (settings.runScheduler() != RunScheduler.NONE) {
      return openShared(settings, run, capacity);
    }
    try {
      return Objects.requireNonNull(
          settings.admission().open(runId, capacity), "the admission control gave no admission");
    } catch (Throwable e) {
      throw new SeamFailureException(
          Seam.ADMISSION, "the admission control could not open the admission of run " + runId, e);
    }
  }

  /** The fixed limits, then the run's share of the cross-run scheduler, then a custom admission. */
  private static Admission openShared(
      EngineSettings settings, ScheduledRun run, Runnable capacity) {
    RunScheduler.Slots slots;
    try {
      slots =
          Objects.requireNonNull(
              settings.runScheduler().open(run, capacity), "the run scheduler gave no slots");
    } catch (Throwable e) {
      throw new SeamFailureException(
          Seam.ADMISSION, "the run scheduler could not open the share of run " + run.runId(), e);
    }
    AdmissionControl custom = settings.customAdmission();
    Admission opened = null;
    if (custom != null) {
      try {
        opened =
            Objects.requireNonNull(
                custom.open(run.runId(), capacity), "the admission control gave no admission");
      } catch (Throwable e) {
        try {
          slots.close();
        } catch (Throwable again) {
          e.addSuppressed(again);
        }
        throw new SeamFailureException(
            Seam.ADMISSION,
            "the admission control could not open the admission of run " + run.runId(),
            e);
      }
    }
    return new LayeredAdmission(
        settings.policies().fixedLimits(), new SharedAdmission(slots, opened));
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

  static FallbackPolicy.@Nullable Swap hedgeAlternativeFor(EngineSettings settings, CallNode node) {
    try {
      return settings.fallback().alternativeForHedge(node);
    } catch (Throwable e) {
      Guard.log(LOG, "fallback policy threw; " + node + " is hedged with its own tool", e);
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
