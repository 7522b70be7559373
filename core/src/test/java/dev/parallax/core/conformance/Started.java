package dev.parallax.core.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.call.RunResult;
import dev.parallax.core.exec.ToolRun;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A scenario handed to the executor in one {@link Mode.Invocation}, with one way to wait for it and
 * one way to cancel it whatever the invocation: a sync caller is interrupted (the documented way to
 * cancel a blocking {@code execute*}), an async future is cancelled, a {@link ToolRun} is
 * cancelled. Every wait is bounded by {@link Harness#WAIT}.
 */
public final class Started {

  private final Harness harness;
  private final Mode.Invocation invocation;
  private final CompletableFuture<RunResult> outcome;
  private final @Nullable Thread caller;
  private final @Nullable ToolRun run;
  private final AtomicBoolean callerFlagKept;

  private Started(
      Harness harness,
      Mode.Invocation invocation,
      CompletableFuture<RunResult> outcome,
      @Nullable Thread caller,
      @Nullable ToolRun run,
      AtomicBoolean callerFlagKept) {
    this.harness = harness;
    this.invocation = invocation;
    this.outcome = outcome;
    this.caller = caller;
    this.run = run;
    this.callerFlagKept = callerFlagKept;
  }

  /** Calls a blocking {@code execute*} on a caller thread of its own. */
  public static Started sync(Harness harness, Supplier<RunResult> execute) {
    CompletableFuture<RunResult> outcome = new CompletableFuture<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread caller =
        Thread.ofVirtual()
            .name("conformance-caller")
            .start(
                () -> {
                  try {
                    RunResult result = execute.get();
                    flagKept.set(Thread.currentThread().isInterrupted());
                    outcome.complete(result);
                  } catch (Throwable e) {
                    outcome.completeExceptionally(e);
                  }
                });
    return new Started(harness, Mode.Invocation.SYNC, outcome, caller, null, flagKept);
  }

  /** Wraps the future of an {@code execute*Async} call. */
  public static Started async(Harness harness, CompletableFuture<RunResult> future) {
    return new Started(harness, Mode.Invocation.ASYNC, future, null, null, new AtomicBoolean());
  }

  /** Wraps a run from {@code start(plan)}. */
  public static Started run(Harness harness, ToolRun run) {
    return new Started(harness, Mode.Invocation.RUN, run.result(), null, run, new AtomicBoolean());
  }

  /** Whether the result is there. */
  public boolean isDone() {
    return outcome.isDone();
  }

  /**
   * Waits for the run's results. After an async future was cancelled (it then holds no results),
   * they are the ones the run handed to {@code onRunFinished}.
   *
   * @throws AssertionError if the run does not finish within {@link Harness#WAIT} (a hang), if the
   *     blocking call threw, or if a future completed with {@code null} instead of results
   */
  public RunResult result() throws InterruptedException {
    if (invocation == Mode.Invocation.ASYNC && outcome.isCancelled()) {
      try {
        return harness.events.awaitRunFinished();
      } catch (AssertionError e) {
        harness.markHung();
        throw new AssertionError(
            "the cancelled run never finished (it hangs); the engine logged: "
                + harness.engineLog(),
            e);
      }
    }
    RunResult result;
    try {
      result = outcome.get(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      harness.markHung();
      throw new AssertionError(
          invocation
              + " run did not finish within "
              + Harness.WAIT
              + " (it hangs); events so far: "
              + harness.events.events()
              + "; the engine logged: "
              + harness.engineLog());
    } catch (ExecutionException e) {
      throw new AssertionError(invocation + " run ended with an exception", e.getCause());
    }
    assertThat(result)
        .as("%s completed with null instead of results (issue 11 item 8)", invocation)
        .isNotNull();
    return result;
  }

  /**
   * Cancels the scenario the way its invocation allows, and returns once the cancellation was
   * handed over ({@code ToolRun.cancel()} and {@code future.cancel(true)} wait for the results).
   *
   * @throws AssertionError if cancelling does not return within {@link Harness#WAIT}
   */
  public void cancel() throws InterruptedException {
    switch (invocation) {
      case SYNC -> caller.interrupt();
      case ASYNC -> bounded("future.cancel(true)", () -> outcome.cancel(true));
      case RUN -> bounded("ToolRun.cancel()", run::cancel);
    }
  }

  /** For a sync caller: whether its interrupt flag was set when {@code execute*} returned. */
  public boolean callerInterruptFlagKept() {
    assertThat(invocation).isEqualTo(Mode.Invocation.SYNC);
    assertThat(outcome).isDone();
    return callerFlagKept.get();
  }

  private void bounded(String what, Runnable action) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("conformance-cancel")
        .start(
            () -> {
              try {
                action.run();
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            });
    try {
      done.get(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      harness.markHung();
      throw new AssertionError(
          what + " did not return within " + Harness.WAIT + "; engine log: " + harness.engineLog());
    } catch (ExecutionException e) {
      throw new AssertionError(what + " threw", e.getCause());
    }
  }
}
