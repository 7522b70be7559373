package dev.parallax.planner.sim;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.ExecutionPlan;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.exec.ToolRun;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.spi.SchedulingPolicy;
import dev.parallax.core.time.VirtualTime;
import dev.parallax.planner.internal.SimulatedTools;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Runs workloads through the real executor — its scheduling, admission, retry and fallback code —
 * in virtual time: each attempt completes when the virtual clock reaches its start plus the call's
 * duration, and nothing sleeps. Thousands of graphs of hundreds of calls run in seconds.
 *
 * <pre>{@code
 * try (Simulator fifo = Simulator.builder().slots(4).build();
 *     Simulator oracle = Simulator.builder().slots(4)
 *         .scheduling(CriticalPathScheduling.using(Simulator.oracle())).build()) {
 *   SimulationResult a = fifo.run(workload);
 *   SimulationResult b = oracle.run(workload);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: run one workload at a time. Results are deterministic for a given workload
 * and configuration (calls finishing at the same instant are handled in the order they started).
 */
public final class Simulator implements AutoCloseable {

  private final VirtualTime time = new VirtualTime();
  private final SimulatedTools tools = new SimulatedTools(time);
  private final ToolExecutor executor;
  private final int slots;

  private Simulator(Builder b) {
    this.slots = b.slots;
    this.executor =
        b.options
            .apply(
                ToolExecutor.builder()
                    .maxConcurrency(b.slots)
                    .scheduling(b.scheduling)
                    .predictor(b.predictor))
            .timeSource(time)
            .runner(tools)
            .build();
  }

  /** A builder: 4 slots, FIFO scheduling, no predictor. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A predictor that knows each simulated call's true duration and outcome: the best any predictor
   * could do. Source {@code oracle}; answers nothing for calls that are not simulated.
   */
  public static Predictor oracle() {
    return call ->
        call.call().input() instanceof SimulatedCall c
            ? new Prediction(c.duration(), c.duration(), c.succeeds() ? 1 : 0, "oracle")
            : null;
  }

  /** Runs the workload to its end in virtual time. */
  public SimulationResult run(Workload workload) {
    CallGraph.Builder graph = CallGraph.builder();
    for (SimulatedCall call : workload.calls()) {
      graph.add(ToolCall.of(call.id(), tools.tool(call.tool()), call), call.dependsOn());
    }
    ToolRun run = executor.start(ExecutionPlan.graph(graph.build()));
    time.runUntilIdle();
    if (!run.isDone()) {
      run.cancel();
      throw new IllegalStateException(
          "workload " + workload.name() + " did not finish when virtual time ran out of events");
    }
    return new SimulationResult(workload, slots, run.result().join());
  }

  /** The number of calls that may run at once. */
  public int slots() {
    return slots;
  }

  @Override
  public void close() {
    executor.close();
  }

  /** Configures a {@link Simulator}. Not thread-safe. */
  public static final class Builder {
    private int slots = 4;
    private SchedulingPolicy scheduling = SchedulingPolicy.fifo();
    private Predictor predictor = Predictor.NONE;
    private UnaryOperator<ToolExecutor.Builder> options = UnaryOperator.identity();

    private Builder() {}

    /** How many calls may run at once (the run's {@code maxConcurrency}); default 4. */
    public Builder slots(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("slots must be >= 1, was " + slots);
      }
      this.slots = slots;
      return this;
    }

    /** Which ready call runs next; default FIFO. */
    public Builder scheduling(SchedulingPolicy scheduling) {
      this.scheduling = Objects.requireNonNull(scheduling, "scheduling");
      return this;
    }

    /** The executor's predictor (put on calls and read by fallbacks); default none. */
    public Builder predictor(Predictor predictor) {
      this.predictor = Objects.requireNonNull(predictor, "predictor");
      return this;
    }

    /**
     * Further executor options (admission control, retries, fallbacks, listeners…). The simulator
     * sets the time source and the runner after these.
     */
    public Builder executor(UnaryOperator<ToolExecutor.Builder> options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Builds the simulator. */
    public Simulator build() {
      return new Simulator(this);
    }
  }
}
