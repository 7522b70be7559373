package dev.parallax.core.call;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The results of one run, in call order, and its report. Immutable.
 *
 * @param runId the run's id (also on its trace span)
 * @param results one final result per call, in the order the calls were given
 * @param report counts, elapsed time and per-call timings
 */
public record RunResult(String runId, List<CallResult<?>> results, RunReport report) {

  /** Copies the results. */
  public RunResult {
    results = ImmutableList.copyOf(results);
  }

  /**
   * The result of the call with this id.
   *
   * @throws NoSuchElementException if the run had no such call
   */
  public CallResult<?> get(String callId) {
    Objects.requireNonNull(callId, "callId");
    CallResult<?> result = byId().get(callId);
    if (result == null) {
      throw new NoSuchElementException("run " + runId + " has no call '" + callId + "'");
    }
    return result;
  }

  /** The typed result of the given call. */
  @SuppressWarnings("unchecked")
  public <O> CallResult<O> get(ToolCall<?, O> call) {
    Objects.requireNonNull(call, "call");
    return (CallResult<O>) get(call.id());
  }

  /** Whether every call succeeded. */
  public boolean allSucceeded() {
    return report.count(CallStatus.SUCCEEDED) == results.size();
  }

  private Map<String, CallResult<?>> byId() {
    ImmutableMap.Builder<String, CallResult<?>> map =
        ImmutableMap.builderWithExpectedSize(results.size());
    for (CallResult<?> result : results) {
      map.put(result.callId(), result);
    }
    return map.buildOrThrow();
  }
}
