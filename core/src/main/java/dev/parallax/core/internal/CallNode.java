package dev.parallax.core.internal;

import dev.parallax.core.call.CallGraph;
import dev.parallax.core.call.CallResult;
import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.ResultCache;
import dev.parallax.core.time.Cancellable;
import dev.parallax.core.tool.Tool;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One call inside a run, with its state. Fields are written only inside the run's events; an
 * attempt takes what it needs (tool, input, trace context) when it is made, in an event, and reads
 * only the dependency results afterwards. Internal; may change at any time.
 */
final class CallNode implements PendingCall {

  enum State {
    /** Waiting for dependencies. */
    PENDING,
    /** In the ready queue. */
    READY,
    /** Refused by admission; waits for capacity. */
    REFUSED,
    /** An attempt is running. */
    RUNNING,
    /** Waiting for the retry timer. */
    WAITING_RETRY,
    /** Final. */
    DONE
  }

  final Run run;
  final int index;
  final ToolCall<?, ?> call;
  final List<String> dependsOn;
  final int[] dependencies;
  private static final int[] NONE = new int[0];

  int[] dependents = NONE;
  int pendingDependencies;

  State state = State.PENDING;
  Tool<?, ?> tool;

  /** The retry policy, attempt timeout and limit of {@link #tool}. */
  ToolPolicies.Effective policy;

  @Nullable String fallbackFrom;
  @Nullable String fallbackReason;
  @Nullable List<String> triedTools;
  boolean replacementConsidered;
  int attempt;
  int attemptOnTool;

  /** How the last attempt's value was obtained from the result cache. */
  ResultCache.Status cacheStatus = ResultCache.Status.NOT_CACHED;

  boolean preloadHit;

  @Nullable Prediction prediction;

  /** Whether {@link #prediction} was asked for already: the predictor is asked once per call. */
  boolean predicted;

  /**
   * The tool's features of the input and, when opted in, the input as JSON: taken by the first
   * attempt on its thread, for the span and the records; null until then.
   */
  volatile @Nullable Map<String, Double> features;

  volatile @Nullable String arguments;

  /** The span id of the call's records when the call has no valid span; made when first needed. */
  @Nullable String recordSpanId;

  /** Sentinel of {@link #queuedNanos} and {@link #startedNanos} before the event happened. */
  static final long NEVER = Long.MIN_VALUE;

  long queuedNanos = NEVER;
  long startedNanos = NEVER;
  @Nullable Attempt current;

  /** The hedge running beside {@link #current}, or null. */
  @Nullable Attempt hedge;

  /** Starts the hedge when the first attempt runs past the hedge delay; null if none is due. */
  @Nullable Cancellable hedgeTimer;

  /** The tool the call's hedge ran; null while the call was not hedged. */
  @Nullable String hedgeTool;

  /** Why the hedge ran an alternative tool (the fallback policy's reason); null otherwise. */
  @Nullable String hedgeReason;

  /** Which attempt answered a hedged call: "first", "hedge"; null until one did. */
  @Nullable String hedgeWinner;

  @Nullable Cancellable retryTimer;
  @Nullable Span span;
  Context context = Context.root();
  Map<String, CallResult<?>> dependencyResults = Map.of();
  @Nullable Object resolvedInput;
  @Nullable CallResult<?> result;

  /** Completed with {@link #result} when the call ends; only for calls submitted to open runs. */
  @Nullable CompletableFuture<CallResult<?>> future;

  CallNode(Run run, int index, ToolCall<?, ?> call, List<String> dependsOn, int[] dependencies) {
    this.run = run;
    this.index = index;
    this.call = call;
    this.dependsOn = dependsOn;
    this.dependencies = dependencies;
    this.pendingDependencies = dependencies.length;
    this.tool = call.tool();
    try {
      this.policy = run.settings().policies().resolve(tool);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("call " + call.id() + ": " + e.getMessage(), e);
    }
  }

  /** The nodes of a run's plan, with their dependencies and dependents as indexes. */
  static CallNode[] buildAll(Run run, List<CallGraph.Node> planned) {
    CallNode[] built = new CallNode[planned.size()];
    boolean anyDependencies = false;
    for (CallGraph.Node n : planned) {
      anyDependencies |= !n.dependsOn().isEmpty();
    }
    if (!anyDependencies) {
      for (int i = 0; i < built.length; i++) {
        built[i] = new CallNode(run, i, planned.get(i).call(), List.of(), NONE);
      }
      return built;
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < planned.size(); i++) {
      index.put(planned.get(i).call().id(), i);
    }
    int[] dependentCounts = new int[planned.size()];
    for (int i = 0; i < planned.size(); i++) {
      CallGraph.Node n = planned.get(i);
      int[] deps = new int[n.dependsOn().size()];
      for (int d = 0; d < deps.length; d++) {
        deps[d] = index.get(n.dependsOn().get(d));
        dependentCounts[deps[d]]++;
      }
      built[i] = new CallNode(run, i, n.call(), n.dependsOn(), deps);
    }
    for (int i = 0; i < built.length; i++) {
      built[i].dependents = new int[dependentCounts[i]];
      dependentCounts[i] = 0;
    }
    for (CallNode node : built) {
      for (int d : node.dependencies) {
        built[d].dependents[dependentCounts[d]++] = node.index;
      }
    }
    return built;
  }

  /**
   * Switches to another tool (fallback); attempts on it count from zero, under its own policy.
   * Returns null, or — changing nothing — the error to fail the call with if the alternative's
   * policy is ambiguous (with {@code cause}, what the previous tool threw, suppressed).
   */
  @Nullable IllegalArgumentException trySwitchTool(
      FallbackPolicy.Swap swap, @Nullable Throwable cause) {
    Tool<?, ?> alternative = swap.tool();
    ToolPolicies.Effective alternativePolicy;
    try {
      alternativePolicy = run.settings().policies().resolve(alternative);
    } catch (IllegalArgumentException e) {
      IllegalArgumentException failure =
          new IllegalArgumentException("call " + call.id() + ": " + e.getMessage(), e);
      if (cause != null) {
        failure.addSuppressed(cause);
      }
      return failure;
    }
    fallbackReason = swap.reason();
    if (triedTools == null) {
      triedTools = new ArrayList<>(2);
      triedTools.add(tool.name());
    }
    if (fallbackFrom == null) {
      fallbackFrom = call.tool().name();
    }
    triedTools.add(alternative.name());
    tool = alternative;
    policy = alternativePolicy;
    attemptOnTool = 0;
    return null;
  }

  List<String> triedTools() {
    return triedTools == null ? List.of(tool.name()) : List.copyOf(triedTools);
  }

  /** The input: the call's own, or the one its run derived from the dependencies' results. */
  Object input() {
    Object input = call.input();
    return input != null ? input : Objects.requireNonNull(resolvedInput, "input not derived yet");
  }

  @Override
  public String runId() {
    return run.id();
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public ToolCall<?, ?> call() {
    return call;
  }

  @Override
  public Tool<?, ?> tool() {
    return tool;
  }

  @Override
  public List<String> dependsOn() {
    return dependsOn;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public @Nullable Prediction prediction() {
    return prediction;
  }

  @Override
  public String toString() {
    return "call " + call.id() + " (" + tool.name() + ", " + state + ")";
  }
}
