package dev.parallax.core.call;

import dev.parallax.core.policy.FailureMode;
import dev.parallax.core.tool.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to run and how: the calls, the mode, and optional overrides of the executor's defaults for
 * this run. Validated when created, so a bad plan fails before any tool runs.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return copies.
 */
public final class ExecutionPlan {

  /** How the calls of a plan relate to each other. */
  public enum Mode {
    /** Independent calls, all started at once up to the concurrency limit. */
    PARALLEL,
    /** One call at a time, in the given order. */
    SEQUENTIAL,
    /** Calls with dependencies; every ready call starts at once up to the limit. */
    GRAPH,
    /** One tool, many inputs. */
    BATCH
  }

  private final Mode mode;
  private final List<CallGraph.Node> nodes;
  private final @Nullable FailureMode failureMode;
  private final @Nullable Integer maxConcurrency;
  private final @Nullable Duration deadline;
  private final int priority;

  private ExecutionPlan(
      Mode mode,
      List<CallGraph.Node> nodes,
      @Nullable FailureMode failureMode,
      @Nullable Integer maxConcurrency,
      @Nullable Duration deadline) {
    this(mode, nodes, failureMode, maxConcurrency, deadline, 0);
  }

  private ExecutionPlan(
      Mode mode,
      List<CallGraph.Node> nodes,
      @Nullable FailureMode failureMode,
      @Nullable Integer maxConcurrency,
      @Nullable Duration deadline,
      int priority) {
    this.mode = mode;
    this.nodes = nodes;
    this.failureMode = failureMode;
    this.maxConcurrency = maxConcurrency;
    this.deadline = deadline;
    this.priority = priority;
  }

  /**
   * Independent calls run in parallel.
   *
   * @throws IllegalArgumentException on a null call or a duplicate id
   */
  public static ExecutionPlan parallel(List<? extends ToolCall<?, ?>> calls) {
    return new ExecutionPlan(Mode.PARALLEL, independent(calls), null, null, null);
  }

  /**
   * Calls run one after another in the given order; by default the first failure stops the run and
   * the calls after it are {@code CANCELLED} (use {@link #withFailureMode} with {@link
   * FailureMode#CONTINUE} to run them all).
   *
   * @throws IllegalArgumentException on a null call or a duplicate id
   */
  public static ExecutionPlan sequential(List<? extends ToolCall<?, ?>> calls) {
    return new ExecutionPlan(Mode.SEQUENTIAL, independent(calls), FailureMode.FAIL_FAST, 1, null);
  }

  /** A graph of calls with dependencies (already validated when built). */
  public static ExecutionPlan graph(CallGraph graph) {
    Objects.requireNonNull(graph, "graph");
    return new ExecutionPlan(Mode.GRAPH, graph.nodes(), null, null, null);
  }

  /**
   * One tool over many inputs; the calls get ids {@code prefix-0}, {@code prefix-1}, ... in input
   * order.
   *
   * @throws IllegalArgumentException if an input is null, naming its position
   * @throws NullPointerException naming the argument if the tool or the list is null
   */
  public static <I> ExecutionPlan batch(Tool<I, ?> tool, List<? extends I> inputs) {
    Objects.requireNonNull(tool, "tool");
    Objects.requireNonNull(inputs, "inputs");
    String prefix = tool.name();
    List<CallGraph.Node> nodes = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      nodes.add(new CallGraph.Node(ToolCall.of(prefix + "-" + i, tool, inputs.get(i)), List.of()));
    }
    return new ExecutionPlan(Mode.BATCH, List.copyOf(nodes), null, null, null);
  }

  private static List<CallGraph.Node> independent(List<? extends ToolCall<?, ?>> calls) {
    Objects.requireNonNull(calls, "calls");
    List<CallGraph.Node> nodes = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      ToolCall<?, ?> call = calls.get(i);
      if (call == null) {
        throw new IllegalArgumentException("call at position " + i + " is null");
      }
      nodes.add(new CallGraph.Node(call, List.of()));
    }
    CallGraph.validate(nodes);
    return List.copyOf(nodes);
  }

  /** This plan with another failure mode. */
  public ExecutionPlan withFailureMode(FailureMode failureMode) {
    return new ExecutionPlan(
        mode,
        nodes,
        Objects.requireNonNull(failureMode, "failureMode"),
        maxConcurrency,
        deadline,
        priority);
  }

  /**
   * This plan with its own limit of calls running at once.
   *
   * @throws IllegalArgumentException if the limit is below 1
   * @throws IllegalStateException for a sequential plan, which always runs one call at a time
   */
  public ExecutionPlan withMaxConcurrency(int maxConcurrency) {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
    }
    if (mode == Mode.SEQUENTIAL) {
      throw new IllegalStateException("a sequential plan runs one call at a time");
    }
    return new ExecutionPlan(mode, nodes, failureMode, maxConcurrency, deadline, priority);
  }

  /**
   * This plan with a deadline for the whole run, counted from its start.
   *
   * @throws IllegalArgumentException if the deadline is zero or negative
   * @throws NullPointerException naming the argument if the deadline is null
   */
  public ExecutionPlan withDeadline(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("run deadline must be positive, was " + deadline);
    }
    return new ExecutionPlan(mode, nodes, failureMode, maxConcurrency, deadline, priority);
  }

  /**
   * This plan with a priority among the runs of its executor (default 0; higher goes first). It
   * matters only to a {@link dev.parallax.core.spi.RunScheduler} shared by the executor's runs (see
   * {@code ToolExecutor.Builder.runScheduler}); without one every run has its own limits and the
   * priority is ignored.
   *
   * @throws IllegalArgumentException if the priority is outside {@code [-1000, 1000]}
   */
  public ExecutionPlan withPriority(int priority) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "priority must be in [" + MIN_PRIORITY + ", " + MAX_PRIORITY + "], was " + priority);
    }
    return new ExecutionPlan(mode, nodes, failureMode, maxConcurrency, deadline, priority);
  }

  /** The lowest priority a plan may have. */
  public static final int MIN_PRIORITY = -1000;

  /** The highest priority a plan may have. */
  public static final int MAX_PRIORITY = 1000;

  /** The priority of this run among the executor's runs (default 0; higher goes first). */
  public int priority() {
    return priority;
  }

  /** The mode. */
  public Mode mode() {
    return mode;
  }

  /** The calls with their dependencies, in call order. */
  public List<CallGraph.Node> nodes() {
    return nodes;
  }

  /** The failure mode of this plan, or {@code null} for the executor's default. */
  public @Nullable FailureMode failureMode() {
    return failureMode;
  }

  /** The concurrency limit of this plan, or {@code null} for the executor's default. */
  public @Nullable Integer maxConcurrency() {
    return maxConcurrency;
  }

  /** The run deadline of this plan, or {@code null} for the executor's default. */
  public @Nullable Duration deadline() {
    return deadline;
  }
}
