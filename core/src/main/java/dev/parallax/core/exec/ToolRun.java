package dev.parallax.core.exec;

import dev.parallax.core.call.RunResult;
import java.util.concurrent.CompletableFuture;

/** A run in progress. Thread-safe. */
public interface ToolRun {

  /** The run's id. */
  String id();

  /**
   * Completes with the results, every one final, when the run ends (normally, by its deadline, by
   * failing fast or by {@link #cancel()}). It never completes exceptionally. Cancelling this future
   * does not cancel the run; use {@link #cancel()}.
   */
  CompletableFuture<RunResult> result();

  /**
   * Cancels the run: running tools are interrupted and reported {@code CANCELLED}, calls not yet
   * started never start. The result is complete when this method returns.
   *
   * @return {@code false} if the run had already ended
   */
  boolean cancel();

  /** Whether the run has ended. */
  boolean isDone();
}
