package dev.parallax.adaptive.limit;

import dev.parallax.adaptive.AdaptivePredictor;
import dev.parallax.core.spi.Admission;
import dev.parallax.core.spi.AdmissionControl;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.PendingCall;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Adaptive concurrency limits behind core's admission seam: one {@link ConcurrencyLimit} (by
 * default an {@link AdaptiveLimit}; any implementation, Netflix's limits included, through {@link
 * Builder#limits}) per backend (by default one per tool), shared by all runs of the executor, fed
 * with every finished attempt and with the expected no-load latency of the tool as its reference.
 *
 * <p>A call is admitted while its backend has fewer calls in flight (across all runs) than its
 * limit. Failed and timed-out attempts count as overload; cancelled ones are not samples. Tools
 * that are not concurrency-safe still run one at a time within a run, as in core's default. A run
 * refused for lack of capacity is called back when a call of that backend ends in any run.
 *
 * <p>Thread-safe.
 */
public final class AdaptiveAdmissionControl implements AdmissionControl {

  private static final class Backend {
    final ConcurrencyLimit limit;
    int inFlight;
    final Set<Runnable> waiting = new LinkedHashSet<>();

    Backend(ConcurrencyLimit limit) {
      this.limit = limit;
    }
  }

  private final Supplier<? extends ConcurrencyLimit> limits;
  private final UnaryOperator<String> backendOf;
  private final ToLongFunction<String> referenceNanos;
  private final Map<String, Backend> backends = new ConcurrentHashMap<>();

  private AdaptiveAdmissionControl(Builder b) {
    this.limits = b.limits;
    this.backendOf = b.backendOf;
    this.referenceNanos = b.referenceNanos;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The current limit of a backend (its initial limit if it has not been used). */
  public int limit(String backend) {
    Backend b = backends.get(backend);
    if (b == null) {
      return limits.get().limit();
    }
    synchronized (b) {
      return b.limit.limit();
    }
  }

  /** Calls of a backend in flight now, across runs. */
  public int inFlight(String backend) {
    Backend b = backends.get(backend);
    if (b == null) {
      return 0;
    }
    synchronized (b) {
      return b.inFlight;
    }
  }

  private Backend backend(String key) {
    return backends.computeIfAbsent(key, k -> new Backend(limits.get()));
  }

  @Override
  public Admission open(String runId, Runnable capacityAvailable) {
    Objects.requireNonNull(capacityAvailable, "capacityAvailable");
    return new RunAdmission(capacityAvailable);
  }

  /**
   * One run's view. The engine calls it from one event at a time (the run's serial inbox, one
   * thread at a time, each event seeing the previous one's writes), so its own maps need no
   * locking; the backends it shares with other runs are guarded by their own monitors.
   */
  private final class RunAdmission implements Admission {
    private final Runnable capacityAvailable;
    /*
     * What each admitted attempt holds, by call: a call can hold two at once (the body of a
     * timed-out attempt keeps its slot until it returns, while the retry runs), and after a
     * fallback its tool is no longer the one an earlier attempt ran, so each entry keeps its tool.
     */
    private final Map<PendingCall, ArrayDeque<Held>> held = new IdentityHashMap<>();
    private final Map<String, Integer> unsafeRunning = new HashMap<>();

    RunAdmission(Runnable capacityAvailable) {
      this.capacityAvailable = capacityAvailable;
    }

    @Override
    public boolean tryAcquire(PendingCall call) {
      String tool = call.tool().name();
      boolean unsafe = !call.tool().spec().concurrencySafe();
      if (unsafe && unsafeRunning.getOrDefault(tool, 0) > 0) {
        return false;
      }
      Backend b = backend(backendOf.apply(tool));
      int now;
      synchronized (b) {
        if (b.inFlight >= b.limit.limit()) {
          b.waiting.add(capacityAvailable);
          return false;
        }
        now = ++b.inFlight;
      }
      held.computeIfAbsent(call, k -> new ArrayDeque<>(1)).add(new Held(tool, unsafe, now));
      if (unsafe) {
        unsafeRunning.merge(tool, 1, Integer::sum);
      }
      return true;
    }

    @Override
    public void release(PendingCall call, AttemptSample sample) {
      Held attempt = take(call, sample.tool());
      if (attempt == null) {
        return;
      }
      String tool = attempt.tool;
      int started = attempt.inFlightAtStart;
      if (attempt.unsafe) {
        unsafeRunning.merge(tool, -1, Integer::sum);
      }
      boolean counts = sample.outcome() != AttemptSample.Outcome.CANCELLED;
      long reference = counts ? Math.max(0, referenceNanos.applyAsLong(tool)) : 0;
      boolean failed =
          sample.outcome() == AttemptSample.Outcome.FAILURE
              || sample.outcome() == AttemptSample.Outcome.TIMEOUT;
      Backend b = backend(backendOf.apply(tool));
      List<Runnable> wake;
      synchronized (b) {
        b.inFlight--;
        if (counts) {
          b.limit.onSample(sample.latencyNanos(), started, failed, reference);
        }
        wake = new ArrayList<>(b.waiting);
        b.waiting.clear();
      }
      wake.remove(capacityAvailable); // this run offers its refused calls again by itself
      wake.forEach(Runnable::run);
    }

    /** Removes the oldest attempt of the call that ran {@code tool}, or returns null. */
    private @Nullable Held take(PendingCall call, String tool) {
      ArrayDeque<Held> attempts = held.get(call);
      if (attempts == null) {
        return null;
      }
      for (Iterator<Held> it = attempts.iterator(); it.hasNext(); ) {
        Held attempt = it.next();
        if (attempt.tool.equals(tool)) {
          it.remove();
          if (attempts.isEmpty()) {
            held.remove(call);
          }
          return attempt;
        }
      }
      return null;
    }

    @Override
    public void close() {
      for (ArrayDeque<Held> attempts : held.values()) {
        for (Held attempt : attempts) {
          Backend b = backend(backendOf.apply(attempt.tool));
          synchronized (b) {
            b.inFlight--;
          }
        }
      }
      held.clear();
      for (Backend b : backends.values()) {
        synchronized (b) {
          b.waiting.remove(capacityAvailable);
        }
      }
    }
  }

  /** An admitted attempt: the tool it ran, whether that tool is concurrency-safe, in flight. */
  private record Held(String tool, boolean unsafe, int inFlightAtStart) {}

  /**
   * Configures an {@link AdaptiveAdmissionControl}. Not thread-safe; the built object is.
   *
   * <p>Defaults: {@link AdaptiveLimit#builder()} defaults, one backend per tool, no reference (each
   * limit uses the smallest latency it has seen).
   */
  public static final class Builder {
    private Supplier<? extends ConcurrencyLimit> limits = () -> AdaptiveLimit.builder().build();
    private UnaryOperator<String> backendOf = UnaryOperator.identity();
    private ToLongFunction<String> referenceNanos = tool -> 0;

    private Builder() {}

    /**
     * Makes the limit of each backend (called once per backend; each call must return a new
     * instance). Default: {@link AdaptiveLimit} with its defaults.
     */
    public Builder limits(Supplier<? extends ConcurrencyLimit> limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** Maps a tool name to the backend whose capacity it shares (default: the tool itself). */
    public Builder backendOf(UnaryOperator<String> backendOf) {
      this.backendOf = Objects.requireNonNull(backendOf, "backendOf");
      return this;
    }

    /** The expected no-load latency of a tool's calls in nanoseconds, {@code <= 0} if unknown. */
    public Builder referenceNanos(ToLongFunction<String> referenceNanos) {
      this.referenceNanos = Objects.requireNonNull(referenceNanos, "referenceNanos");
      return this;
    }

    /**
     * Uses the predictor's {@link AdaptivePredictor#noLoadLatency no-load latency} as reference.
     */
    public Builder reference(AdaptivePredictor predictor) {
      Objects.requireNonNull(predictor, "predictor");
      return referenceNanos(tool -> predictor.noLoadLatency(tool).toNanos());
    }

    /** The admission control. */
    public AdaptiveAdmissionControl build() {
      return new AdaptiveAdmissionControl(this);
    }
  }
}
