package dev.parallax.planner.fallback;

import dev.parallax.core.call.CallResult;
import dev.parallax.core.event.ExecutionListener;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.spi.FallbackPolicy;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.tool.Tool;
import dev.parallax.planner.internal.FallbackBreakers;
import dev.parallax.planner.internal.FallbackGraph;
import dev.parallax.planner.internal.PredictedUtility;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FallbackPolicy} that swaps a call's tool for an alternative when the tool is predicted
 * to fail, when its circuit breaker is open, and after it failed.
 *
 * <pre>{@code
 * ToolFallbacks fallbacks = ToolFallbacks.builder()
 *     .chain(searchA, searchB, searchC)           // searchA -> searchB -> searchC
 *     .capability("weather", registry)            // every registered tool tagged "weather"
 *     .minPredictedSuccess(0.5)
 *     .timeSource(time)                           // the executor's time source
 *     .build();
 * ToolExecutor executor = ToolExecutor.builder().timeSource(time).fallback(fallbacks).build();
 * }</pre>
 *
 * <p>The circuit breakers learn from the executor's lifecycle events through the policy's {@link
 * #feedback() feedback} listener, which the executor registers itself when the policy is set as its
 * {@link ToolExecutor.Builder#fallback fallback}: setting it is all the wiring there is. The state
 * of a tool's breaker is read through {@link #health(String)}; {@link #forceOpen} and {@link
 * #reset} are for maintenance.
 *
 * <p>With {@link ToolFallbacksBuilder#chooseByPrediction chooseByPrediction(predictor)} (opt-in)
 * the predictor is asked about every alternative before a call starts, and the healthy tool with
 * the lowest predicted expected time to a success (plus its declared cost) runs.
 *
 * <p>Each swap puts a reason on the call's result ({@link CallResult#fallbackReason()}) and span:
 * {@code predicted success 0.42 < 0.50}, {@code circuit open for search_a}, {@code circuit
 * half-open for search_a}, {@code search_a failed: IOException}, {@code predicted utility search_b
 * 0.120s < search_a 0.400s}. {@link CallResult#tool()} names the tool that answered and {@link
 * CallResult#fallbackFrom()} the one the call was made with.
 *
 * <p>Immutable configuration, thread-safe: one instance may serve any number of executors and
 * concurrent runs, which then share its circuit breakers (one per tool named in a chain or a
 * capability group).
 */
public final class ToolFallbacks implements FallbackPolicy {

  /*
   * The algorithm.
   *
   * Alternatives are resolved once, at build time, by FallbackGraph: a call's alternatives are
   * those of the tool it was submitted with (its primary), in a fixed order: the tools its fallback
   * chain leads to, then the other tools sharing a declared capability with it. Validation there
   * guarantees that no chain loops and that every alternative accepts the primary's input.
   *
   * Before the first attempt (replaceBeforeStart) the primary is replaced when
   *   1. the call's prediction, made when it was queued, gives a success probability below
   *      minPredictedSuccess (no prediction, no swap); or else
   *   2. the primary's circuit breaker refuses a permit (open, or half-open with all its trial
   *      calls handed out).
   * The replacement is the first alternative whose breaker grants a permit. If none does, the call
   * keeps its primary: the executor cannot refuse to run a call, and a swap to a tool known to be
   * down would not help.
   *
   * Choosing by prediction (opt-in, chooseByPrediction) extends this same step rather than adding
   * a second one: the candidates (the primary, unless predicted to fail as in 1., then the
   * alternatives) are ranked by predicted utility, the expected time to a success
   * latency / max(success, 0.01) + declared cost (PredictedUtility), a stable sort so ties and
   * unpredicted tools keep the declared order. Breakers are then asked in that order and the first
   * permit wins; the primary winning means no swap. The reason is the primary's predicted failure
   * or its circuit when one of those put it out, else "predicted utility ...". With no prediction
   * at all the order is the declared one, i.e. exactly the behaviour above. Choosing reorders the
   * tools, it removes none: a primary passed over before its first attempt is remembered per call
   * (passedOver, cleared when the call finishes) and is the first fallback after the chosen tool
   * fails, if its breaker grants a permit (an open one does not). The executor counts it as tried,
   * yet it never ran; without this a call moved off its primary would lose a tool it had.
   *
   * After the last failed attempt on a tool (alternativeAfterFailure; the executor has spent that
   * tool's retries already) the next alternative of the primary that is not in `tried` and whose
   * breaker grants a permit runs; alternatives with an open circuit are skipped. When none is left
   * the call fails with the last error. Each alternative runs at most once per call, so a call
   * swaps at most once per alternative, and the executor's run deadline bounds the time all this
   * takes.
   *
   * Feedback: the executor registers the policy's feedback() listener. A failed attempt is an error for the breaker
   * of the tool it ran on (call.tool() at that moment); a SUCCEEDED result is a success for the
   * breaker of the tool that answered (result.tool()). A permit taken for a call that then ends
   * without an outcome on that tool (cancelled, cut by the run deadline, answered from the cache)
   * is released.
   *
   * Why Resilience4j and not a state machine of our own: its breaker reads time only through the
   * config's clock and currentTimestampFunction, which FallbackBreakers sets from the injected
   * TimeSource, so it runs deterministically in virtual time; the three options that would start
   * threads or read the system clock are refused at build time.
   */

  private final FallbackGraph graph;
  private final FallbackBreakers breakers;
  private final double minPredictedSuccess;
  private final @Nullable PredictedUtility utility;
  private final ExecutionListener feedback = new Feedback();

  /** Calls moved off their primary before it ran, when choosing by prediction. */
  private final Set<PendingCall> passedOver = ConcurrentHashMap.newKeySet();

  /** Whether the feedback receives events, so that passedOver is cleared when calls finish. */
  private volatile boolean listening;

  ToolFallbacks(
      FallbackGraph graph,
      FallbackBreakers breakers,
      double minPredictedSuccess,
      @Nullable PredictedUtility utility) {
    this.graph = graph;
    this.breakers = breakers;
    this.minPredictedSuccess = minPredictedSuccess;
    this.utility = utility;
  }

  /** Starts a builder; see {@link ToolFallbacksBuilder} for the options and their defaults. */
  public static ToolFallbacksBuilder builder() {
    return new ToolFallbacksBuilder();
  }

  /**
   * Sets this policy as the builder's fallback policy; the same as {@code executor.fallback(this)}
   * (the executor registers the {@link #feedback() feedback} itself).
   *
   * @return the same builder
   */
  public ToolExecutor.Builder attachTo(ToolExecutor.Builder executor) {
    return Objects.requireNonNull(executor, "executor").fallback(this);
  }

  /** The alternatives of the named tool, in the order they are tried; empty if it has none. */
  public List<Tool<?, ?>> alternativesOf(String toolName) {
    return graph.alternativesOf(Objects.requireNonNull(toolName, "toolName"));
  }

  /**
   * The health of a tool named in a chain or a capability group, as its circuit breaker sees it
   * now: a snapshot, read-only.
   *
   * @throws IllegalArgumentException if the policy has no breaker for that tool
   */
  public ToolHealth health(String toolName) {
    return ToolHealth.of(breaker(toolName));
  }

  /**
   * Opens the tool's circuit until {@link #reset}: every call to it swaps to an alternative (for
   * maintenance).
   *
   * @throws IllegalArgumentException if the policy has no breaker for that tool
   */
  public void forceOpen(String toolName) {
    breaker(toolName).transitionToForcedOpenState();
  }

  /**
   * Closes the tool's circuit and forgets its recorded outcomes.
   *
   * @throws IllegalArgumentException if the policy has no breaker for that tool
   */
  public void reset(String toolName) {
    breaker(toolName).reset();
  }

  private CircuitBreaker breaker(String toolName) {
    CircuitBreaker breaker = breakers.breaker(Objects.requireNonNull(toolName, "toolName"));
    if (breaker == null) {
      throw new IllegalArgumentException(
          "no circuit breaker for tool '"
              + toolName
              + "'; tools with one: "
              + graph.tools().keySet());
    }
    return breaker;
  }

  /** The predicted success probability below which a call's tool is replaced before it starts. */
  public double minPredictedSuccess() {
    return minPredictedSuccess;
  }

  /** Whether the tool of a call is chosen among its alternatives by predicted utility. */
  public boolean choosesByPrediction() {
    return utility != null;
  }

  // ---- FallbackPolicy ----

  @Override
  public @Nullable Swap replaceBeforeStart(PendingCall call) {
    String primary = call.tool().name();
    List<Tool<?, ?>> alternatives = graph.alternativesOf(primary);
    String reason = predictedFailure(call.prediction());
    if (utility != null && !alternatives.isEmpty()) {
      return chooseByUtility(call, alternatives, reason);
    }
    if (reason == null) {
      if (breakers.tryAcquire(call, primary) || alternatives.isEmpty()) {
        return null;
      }
      reason = circuitReason(primary);
    }
    for (Tool<?, ?> alternative : alternatives) {
      if (breakers.tryAcquire(call, alternative.name())) {
        return new Swap(alternative, reason);
      }
    }
    breakers.tryAcquire(call, primary); // keeps its primary; a permit if there is one
    return null;
  }

  /** The pre-start swap when choosing by prediction; see the algorithm at the top. */
  private @Nullable Swap chooseByUtility(
      PendingCall call, List<Tool<?, ?>> alternatives, @Nullable String predictedFailure) {
    String primary = call.tool().name();
    List<PredictedUtility.Candidate> ranked =
        Objects.requireNonNull(utility).rank(call, alternatives, predictedFailure == null);
    boolean primaryRefused = false;
    for (PredictedUtility.Candidate candidate : ranked) {
      String name = candidate.tool().name();
      boolean isPrimary = name.equals(primary);
      if (!breakers.tryAcquire(call, name)) {
        primaryRefused |= isPrimary;
        continue;
      }
      if (isPrimary) {
        return null;
      }
      if (listening) {
        passedOver.add(call);
      }
      String reason =
          predictedFailure != null
              ? predictedFailure
              : primaryRefused ? circuitReason(primary) : utilityReason(candidate, ranked, primary);
      return new Swap(candidate.tool(), reason);
    }
    breakers.tryAcquire(call, primary); // keeps its primary; a permit if there is one
    return null;
  }

  private static String utilityReason(
      PredictedUtility.Candidate chosen, List<PredictedUtility.Candidate> ranked, String primary) {
    for (PredictedUtility.Candidate c : ranked) {
      if (c.tool().name().equals(primary)) {
        return String.format(
            Locale.ROOT,
            "predicted utility %s %.3fs < %s %.3fs",
            chosen.tool().name(),
            chosen.utility(),
            primary,
            c.utility());
      }
    }
    return String.format(
        Locale.ROOT, "predicted utility %s %.3fs", chosen.tool().name(), chosen.utility());
  }

  @Override
  public @Nullable Swap alternativeAfterFailure(
      PendingCall call, Throwable error, List<String> tried) {
    Tool<?, ?> primary = call.call().tool();
    if (passedOver.remove(call) && breakers.tryAcquire(call, primary.name())) {
      // passed over before it ran (choosing by prediction): it is first in line now
      return new Swap(primary, call.tool().name() + " failed: " + errorName(error));
    }
    List<Tool<?, ?>> alternatives = graph.alternativesOf(primary.name());
    for (Tool<?, ?> alternative : alternatives) {
      if (!tried.contains(alternative.name()) && breakers.tryAcquire(call, alternative.name())) {
        return new Swap(alternative, call.tool().name() + " failed: " + errorName(error));
      }
    }
    return null;
  }

  /**
   * The hedge of a slow call (see {@link dev.parallax.core.policy.HedgePolicy}) runs on the first
   * alternative of the call's tool, in the order they are tried, that is idempotent and whose
   * circuit is {@linkplain ToolHealth#available() available} now (a slow tool's own backend is the
   * likeliest to be the slow part); with none, the hedge runs the call's own tool. Asks the
   * breakers only, without taking a permit.
   */
  @Override
  public @Nullable Swap alternativeForHedge(PendingCall call) {
    for (Tool<?, ?> alternative : graph.alternativesOf(call.tool().name())) {
      CircuitBreaker breaker = breakers.breaker(alternative.name());
      if (alternative.spec().idempotent()
          && (breaker == null || ToolHealth.of(breaker).available())) {
        return new Swap(alternative, "hedge on " + alternative.name() + ", an alternative");
      }
    }
    return null;
  }

  /**
   * The listener that feeds the circuit breakers with the outcome of every attempt; the executor
   * registers it when this policy is its fallback. Not for other use.
   */
  @Override
  public ExecutionListener feedback() {
    return feedback;
  }

  /** Feeds the breakers; registered by the executor through {@link #feedback()}. */
  private final class Feedback implements ExecutionListener {
    @Override
    public void onRunStarted(String runId, int calls) {
      breakers.listening();
      listening = true;
    }

    @Override
    public void onStarted(PendingCall call, int attempt) {
      breakers.attemptStarted(call);
    }

    @Override
    public void onAttemptFailed(PendingCall call, int attempt, Throwable error) {
      breakers.attemptFailed(call, error);
    }

    @Override
    public void onFinished(PendingCall call, CallResult<?> result) {
      breakers.finished(call, result);
      passedOver.remove(call);
    }

    @Override
    public String toString() {
      return "ToolFallbacks.feedback";
    }
  }

  /** How many times the predictor threw while choosing by prediction (for tests). */
  long predictorFailures() {
    return utility == null ? 0 : utility.predictorFailures();
  }

  /** Calls holding a breaker permit or running on a tool with a breaker (for tests). */
  int trackedCalls() {
    return breakers.tracked() + passedOver.size();
  }

  private @Nullable String predictedFailure(@Nullable Prediction prediction) {
    if (prediction == null || prediction.successProbability() >= minPredictedSuccess) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "predicted success %.2f < %.2f",
        prediction.successProbability(),
        minPredictedSuccess);
  }

  private String circuitReason(String tool) {
    CircuitBreaker breaker = breakers.breaker(tool);
    String state =
        breaker == null
            ? "open"
            : breaker.getState().name().toLowerCase(Locale.ROOT).replace('_', '-');
    return "circuit " + state + " for " + tool;
  }

  private static String errorName(Throwable error) {
    String simple = error.getClass().getSimpleName();
    return simple.isEmpty() ? error.getClass().getName() : simple;
  }
}
