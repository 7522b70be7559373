package dev.parallax.planner.sim;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.CallStatus;
import dev.parallax.core.call.RunResult;
import dev.parallax.core.record.ExecutionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One workload run through the simulator.
 *
 * @param workload what ran
 * @param slots how many calls could run at once
 * @param run the executor's result, with virtual-time instants
 */
public record SimulationResult(Workload workload, int slots, RunResult run) {

  /** From the start of the run to its last result. */
  public Duration makespan() {
    return run.report().elapsed();
  }

  /** {@code max(critical path, total work / slots)} of the workload. */
  public Duration lowerBound() {
    return workload.lowerBound(slots);
  }

  /** Makespan divided by the lower bound: 1.0 is a perfect schedule. */
  public double ratioToLowerBound() {
    long bound = lowerBound().toNanos();
    return bound == 0 ? 1 : (double) makespan().toNanos() / bound;
  }

  /** Fraction of calls that succeeded. */
  public double successRate() {
    List<CallResult<?>> results = run.results();
    return results.isEmpty()
        ? 1
        : (double) run.report().count(CallStatus.SUCCEEDED) / results.size();
  }

  /** Every call's place in the schedule, in workload order. */
  public List<ScheduledCall> schedule() {
    Instant origin = run.report().startedAt();
    List<ScheduledCall> schedule = new ArrayList<>(run.results().size());
    for (CallResult<?> r : run.results()) {
      schedule.add(
          new ScheduledCall(
              r.callId(),
              r.tool(),
              r.startedAt() == null ? null : Duration.between(origin, r.startedAt()),
              Duration.between(origin, r.finishedAt()),
              r.status()));
    }
    return schedule;
  }

  /**
   * The calls that ran, as execution records (what telemetry would have recorded), to train a
   * predictor on. The trace and span ids are made up: nothing was traced.
   */
  public List<ExecutionRecord> records() {
    List<ExecutionRecord> records = new ArrayList<>(run.results().size());
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < run.results().size(); i++) {
      CallResult<?> r = run.results().get(i);
      if (r.startedAt() == null) {
        continue;
      }
      SimulatedCall call = workload.calls().get(i);
      records.add(
          ExecutionRecord.builder()
              .tool(r.tool())
              .callId(r.callId())
              .traceId("0".repeat(32))
              .spanId(hex.toHexDigits((long) i + 1))
              .runId(run.runId())
              .start(r.startedAt())
              .duration(Duration.between(r.startedAt(), r.finishedAt()))
              .status(r.status())
              .errorType(r.isSuccess() ? null : r.error().getClass().getName())
              .attempts(r.attempts())
              .queueWait(r.queueWait())
              .inFlight(0)
              .cacheHit(r.cacheHit())
              .fallbackFrom(r.fallbackFrom())
              .features(call.features())
              .build());
    }
    return records;
  }
}
