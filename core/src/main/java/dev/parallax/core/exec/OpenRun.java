package dev.parallax.core.exec;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolCall;
import java.util.concurrent.CompletableFuture;

/**
 * A run that accepts calls while it is under way: each {@linkplain #submit submitted} call is
 * validated at once and starts as soon as the run's limits allow, under the same limits, retries,
 * timeouts, spans, records and seams as the calls of any other run. {@link #complete()} says that
 * no more calls will come; the run's {@link #result()} completes when every submitted call has its
 * final result, with the results in submission order. Made by {@link ToolExecutor#open()}.
 *
 * <p>Meant for calls that arrive one by one, such as the tool calls of a model's message streamed
 * token by token: each call starts when it has arrived rather than when the message ends.
 *
 * <p>The calls are independent (no dependencies). They start in submission order as the limits
 * allow: the executor's {@link dev.parallax.core.spi.SchedulingPolicy} is not used, since a policy
 * ranks a run's calls when the run opens and an open run's calls are not known then. Admission
 * control, result cache, fallback and predictor apply as in other runs. In a run that fails fast,
 * the calls submitted after the first failure end {@code CANCELLED} at once; the run still ends
 * only on {@link #complete()}, {@link #cancel()} or its deadline.
 *
 * <p>Thread-safe: calls may be submitted from several threads; their order is the order in which
 * {@code submit} accepted them.
 */
public interface OpenRun extends ToolRun {

  /**
   * Adds a call to the run. It is validated now: a call whose id the run already has, or whose
   * tool's policies are ambiguous, is rejected with an {@link IllegalArgumentException} naming it,
   * and nothing runs. A call whose JSON arguments were rejected ends {@code FAILED} with that
   * error, as in other runs.
   *
   * @return completes with the call's final result (before the run's result completes); it never
   *     completes exceptionally unless the whole run failed (out of memory). Cancelling it does not
   *     cancel the call.
   * @throws IllegalStateException if {@link #complete()} or {@link #cancel()} was called, or the
   *     run deadline passed
   * @throws IllegalArgumentException if the call's id is already in this run, or its tool's
   *     policies are ambiguous
   */
  CompletableFuture<CallResult<?>> submit(ToolCall<?, ?> call);

  /**
   * Says that no more calls will be submitted; the run ends when the submitted ones have ended (at
   * once if none is unfinished). Idempotent; has no effect after {@link #cancel()}.
   */
  void complete();

  /** Whether the run still accepts calls: neither completed nor cancelled nor past its deadline. */
  boolean isOpen();
}
