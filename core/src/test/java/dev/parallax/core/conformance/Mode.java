package dev.parallax.core.conformance;

/**
 * Every way a scenario can be handed to the executor: the shape of the plan times the way the
 * caller waits for it. Like Failsafe's {@code testing/Testing.java} (failsafe-lib/failsafe), which
 * runs each functional scenario sync, async and as an async execution, a conformance test runs its
 * scenario in every mode where it applies: {@code @ParameterizedTest @EnumSource(Mode.class)}.
 */
public enum Mode {
  PARALLEL_SYNC(Shape.PARALLEL, Invocation.SYNC),
  PARALLEL_ASYNC(Shape.PARALLEL, Invocation.ASYNC),
  PARALLEL_RUN(Shape.PARALLEL, Invocation.RUN),
  SEQUENTIAL_SYNC(Shape.SEQUENTIAL, Invocation.SYNC),
  SEQUENTIAL_ASYNC(Shape.SEQUENTIAL, Invocation.ASYNC),
  SEQUENTIAL_RUN(Shape.SEQUENTIAL, Invocation.RUN),
  GRAPH_SYNC(Shape.GRAPH, Invocation.SYNC),
  GRAPH_ASYNC(Shape.GRAPH, Invocation.ASYNC),
  GRAPH_RUN(Shape.GRAPH, Invocation.RUN),
  BATCH_SYNC(Shape.BATCH, Invocation.SYNC),
  BATCH_ASYNC(Shape.BATCH, Invocation.ASYNC),
  BATCH_RUN(Shape.BATCH, Invocation.RUN);

  /** The shape of the plan. */
  public enum Shape {
    /** {@code executeParallel} / {@code ExecutionPlan.parallel}. */
    PARALLEL,
    /** {@code executeSequential} / {@code ExecutionPlan.sequential}. */
    SEQUENTIAL,
    /** {@code executeGraph} / {@code ExecutionPlan.graph}; independent calls become a graph. */
    GRAPH,
    /** {@code executeBatch} / {@code ExecutionPlan.batch}: one tool, ids {@code tool-0...}. */
    BATCH
  }

  /** How the caller waits. */
  public enum Invocation {
    /** A blocking {@code execute*} call, on a caller thread of the test's own. */
    SYNC,
    /** An {@code execute*Async} call and its {@code CompletableFuture}. */
    ASYNC,
    /** {@code start(plan)} and the {@code ToolRun} it returns. */
    RUN
  }

  final Shape shape;
  final Invocation invocation;

  Mode(Shape shape, Invocation invocation) {
    this.shape = shape;
    this.invocation = invocation;
  }
}
