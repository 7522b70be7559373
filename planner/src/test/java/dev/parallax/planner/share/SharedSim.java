package dev.parallax.planner.share;

import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.spi.AttemptExecution;
import dev.parallax.core.spi.AttemptSample;
import dev.parallax.core.spi.CallRunner;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.RunScheduler;
import dev.parallax.core.spi.ScheduledRun;
import dev.parallax.core.testing.SimRunner;
import dev.parallax.core.testing.SimTool;
import dev.parallax.core.time.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An executor in virtual time whose runs share a {@link SharedScheduler}, with a runner that counts
 * — independently of the scheduler — the calls and resource units held by running attempts, and
 * remembers the largest counts seen.
 */
final class SharedSim {

  final VirtualTime time = new VirtualTime();
  private final Instant epoch = time.now();
  final SharedScheduler shared;
  final ToolExecutor executor;
  final Map<String, AtomicInteger> inUse = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
  final AtomicInteger attemptsEnded = new AtomicInteger();
  final AtomicInteger attemptsStarted = new AtomicInteger();

  /** A permit per release of the shared scheduler, after it returned. */
  final Semaphore releases = new Semaphore(0);

  SharedSim(UnaryOperator<SharedScheduler.Builder> scheduler) {
    this(scheduler, b -> b);
  }

  SharedSim(
      UnaryOperator<SharedScheduler.Builder> scheduler,
      UnaryOperator<ToolExecutor.Builder> executorOptions) {
    shared = scheduler.apply(SharedScheduler.builder().timeSource(time)).build();
    SimRunner sim = new SimRunner(time);
    CallRunner counting =
        attempt ->
            attempt.call().tool() instanceof SimTool
                ? sim.start(new Counted(attempt))
                : sim.start(attempt); // real bodies: counted by their tests
    executor =
        executorOptions
            .apply(
                ToolExecutor.builder().timeSource(time).runner(counting).runScheduler(this::open))
            .build();
  }

  private RunScheduler.Slots open(ScheduledRun run, Runnable capacityAvailable) {
    RunScheduler.Slots slots = shared.open(run, capacityAvailable);
    return new RunScheduler.Slots() {
      @Override
      public boolean tryAcquire(PendingCall call) {
        return slots.tryAcquire(call);
      }

      @Override
      public void release(PendingCall call, AttemptSample sample) {
        slots.release(call, sample);
        releases.release();
      }

      @Override
      public void notStarted(PendingCall call) {
        slots.notStarted(call);
      }

      @Override
      public void stopping() {
        slots.stopping();
      }

      @Override
      public void close() {
        slots.close();
      }
    };
  }

  ToolRun start(ExecutionPlan plan) {
    return executor.start(plan);
  }

  /** Starts {@code plan} when the virtual clock reaches {@code at} (from its start). */
  void startAt(Duration at, ExecutionPlan plan, Map<String, ToolRun> runs, String name) {
    time.schedule(at.minus(time.elapsed()), () -> runs.put(name, executor.start(plan)));
  }

  RunResult finish(ToolRun run) {
    time.runUntilIdle();
    if (!run.isDone()) {
      throw new AssertionError("run " + run.id() + " did not finish in virtual time");
    }
    return run.result().join();
  }

  long millisFromStart(@Nullable Instant instant) {
    if (instant == null) {
      throw new AssertionError("never started");
    }
    return Duration.between(epoch, instant).toMillis();
  }

  int peakOf(String key) {
    AtomicInteger p = peak.get(key);
    return p == null ? 0 : p.get();
  }

  private void add(String key, int delta) {
    int now = inUse.computeIfAbsent(key, k -> new AtomicInteger()).addAndGet(delta);
    peak.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
  }

  /** An attempt whose start and (first) end move the counters. */
  private final class Counted implements AttemptExecution {
    private final AttemptExecution inner;
    private final AtomicBoolean ended = new AtomicBoolean();

    Counted(AttemptExecution inner) {
      this.inner = inner;
      attemptsStarted.incrementAndGet();
      add("*", 1);
      inner.call().tool().spec().resources().forEach((r, n) -> add(r, n));
    }

    @Override
    public PendingCall call() {
      return inner.call();
    }

    @Override
    public int attempt() {
      return inner.attempt();
    }

    @Override
    public void runHere() {
      try {
        inner.runHere();
      } finally {
        end();
      }
    }

    @Override
    public void complete(@Nullable Object value, @Nullable Throwable error) {
      end();
      inner.complete(value, error);
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        attemptsEnded.incrementAndGet();
        add("*", -1);
        inner.call().tool().spec().resources().forEach((r, n) -> add(r, -n));
      }
    }
  }
}
