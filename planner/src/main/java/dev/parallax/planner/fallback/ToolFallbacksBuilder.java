package dev.parallax.planner.fallback;

import dev.parallax.core.spi.Predictor;
import dev.parallax.core.time.SystemTimeSource;
import dev.parallax.core.time.TimeSource;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.planner.internal.FallbackBreakers;
import dev.parallax.planner.internal.FallbackGraph;
import dev.parallax.planner.internal.PredictedUtility;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Configures {@link ToolFallbacks}. Declare at least one {@link #chain chain} or {@link #capability
 * capability}; everything else has a default. Not thread-safe; the built policy is.
 */
public final class ToolFallbacksBuilder {

  /** Default of {@link #minPredictedSuccess}. */
  public static final double DEFAULT_MIN_PREDICTED_SUCCESS = 0.5;

  private final List<List<Tool<?, ?>>> chains = new ArrayList<>();
  private final List<FallbackGraph.CapabilityGroup> groups = new ArrayList<>();
  private final Set<String> capabilities = new HashSet<>();
  private double minPredictedSuccess = DEFAULT_MIN_PREDICTED_SUCCESS;
  private CircuitBreakerConfig breaker = CircuitBreakerConfig.ofDefaults();
  private @Nullable TimeSource timeSource;
  private @Nullable Predictor choosingPredictor;
  private final Map<String, Double> costs = new LinkedHashMap<>();

  ToolFallbacksBuilder() {}

  /**
   * Declares a fallback chain: {@code primary} falls back to the first alternative, which falls
   * back to the next, and so on. Chains sharing a tool join ({@code chain(a, b)} and {@code
   * chain(b, c)} give {@code a → b → c}); a tool may fall back to only one tool, and chains must
   * not loop (checked by {@link #build}). Every tool down the chain must accept the primary's
   * input.
   *
   * @throws IllegalArgumentException if no alternative is given or a tool appears twice
   */
  public ToolFallbacksBuilder chain(Tool<?, ?> primary, Tool<?, ?>... alternatives) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(alternatives, "alternatives");
    List<Tool<?, ?>> chain = new ArrayList<>(alternatives.length + 1);
    chain.add(primary);
    for (Tool<?, ?> alternative : alternatives) {
      chain.add(Objects.requireNonNull(alternative, "alternative"));
    }
    List<String> names = chain.stream().map(Tool::name).toList();
    if (alternatives.length == 0) {
      throw new IllegalArgumentException(
          "the fallback chain of tool '" + primary.name() + "' names no alternative");
    }
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException(
            "tool '"
                + name
                + "' appears twice in the fallback chain "
                + names
                + ": a chain cannot loop back to itself");
      }
    }
    chains.add(List.copyOf(chain));
    return this;
  }

  /**
   * Declares the registered tools whose {@link dev.parallax.core.tool.ToolSpec#capabilities()} list
   * {@code capability} as alternatives to each other, tried in registration order.
   *
   * @throws IllegalArgumentException if no registered tool has the capability, or it was declared
   *     already
   */
  public ToolFallbacksBuilder capability(String capability, ToolRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return capability(capability, registry.tools());
  }

  /**
   * Declares the given tools whose {@link dev.parallax.core.tool.ToolSpec#capabilities()} list
   * {@code capability} as alternatives to each other, tried in the order given; tools without the
   * capability are left out. Each member must accept the input of every other one (use {@link
   * #chain} for a one-way fallback).
   *
   * @throws IllegalArgumentException if none of the tools has the capability, or it was declared
   *     already
   */
  public ToolFallbacksBuilder capability(
      String capability, Collection<? extends Tool<?, ?>> tools) {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(tools, "tools");
    List<Tool<?, ?>> members = new ArrayList<>();
    for (Tool<?, ?> tool : tools) {
      if (Objects.requireNonNull(tool, "tool").spec().capabilities().contains(capability)) {
        members.add(tool);
      }
    }
    if (members.isEmpty()) {
      throw new IllegalArgumentException(
          "no tool has capability '"
              + capability
              + "' among "
              + tools.stream().map(Tool::name).toList());
    }
    if (!capabilities.add(capability)) {
      throw new IllegalArgumentException("capability '" + capability + "' is declared twice");
    }
    groups.add(new FallbackGraph.CapabilityGroup(capability, members));
    return this;
  }

  /**
   * The predicted success probability below which a call's tool is replaced before it starts
   * (default {@value #DEFAULT_MIN_PREDICTED_SUCCESS}). Calls without a prediction are never
   * replaced for this reason; 0 turns the check off.
   *
   * @throws IllegalArgumentException if not within {@code [0, 1]}
   */
  public ToolFallbacksBuilder minPredictedSuccess(double minPredictedSuccess) {
    if (!(minPredictedSuccess >= 0 && minPredictedSuccess <= 1)) {
      throw new IllegalArgumentException(
          "minPredictedSuccess must be within [0, 1], was " + minPredictedSuccess);
    }
    this.minPredictedSuccess = minPredictedSuccess;
    return this;
  }

  /**
   * The configuration of every tool's circuit breaker (default {@link
   * CircuitBreakerConfig#ofDefaults()}: opens at a 50% failure rate over the last 100 calls, stays
   * open 60 s, then lets 10 trial calls through). Its clock and timestamp function are replaced by
   * the {@link #timeSource}.
   *
   * @throws IllegalArgumentException if the config would start threads or read the system clock:
   *     automatic transition from open to half-open, a maximum wait in half-open, or a time-based
   *     window with the lock-free strategy
   */
  public ToolFallbacksBuilder breaker(CircuitBreakerConfig config) {
    this.breaker = FallbackBreakers.requireDeterministic(config);
    return this;
  }

  /**
   * The clock of the circuit breakers (default: the system clock). Give the executor's time source,
   * for example a {@link dev.parallax.core.time.VirtualTime} in tests.
   */
  public ToolFallbacksBuilder timeSource(TimeSource timeSource) {
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
    return this;
  }

  /**
   * Chooses each call's tool among its alternatives by predicted utility before the call starts
   * (default: off, the primary runs unless it is predicted to fail or its circuit is open).
   *
   * <p>The predictor — normally the executor's own — is asked about each alternative as if the call
   * ran on it ({@link dev.parallax.core.spi.PendingCall#tool()} is the alternative); the primary's
   * prediction is the one made when the call was queued, or the predictor's if there was none. The
   * utility is the expected time to a success, {@code latency / max(success, 0.01)} in seconds,
   * plus the tool's declared {@link #cost}; the lowest wins among the tools whose circuit breaker
   * grants a permit. Ties, and tools without a prediction, keep the declared order (a primary
   * without a prediction stays first), so with no predictions at all the policy behaves as without
   * this option. A primary predicted to fail ({@link #minPredictedSuccess}) does not compete. A
   * swap made for utility alone carries the reason {@code predicted utility search_b 0.120s <
   * search_a 0.400s}. Choosing reorders the tools and removes none: if the chosen tool fails, the
   * primary it was chosen over is the first fallback, unless its circuit breaker refuses. The
   * predictor is called on the run's event thread for each alternative of each call: it must be
   * fast; whatever it throws counts as no prediction (logged).
   */
  public ToolFallbacksBuilder chooseByPrediction(Predictor predictor) {
    this.choosingPredictor = Objects.requireNonNull(predictor, "predictor");
    return this;
  }

  /**
   * A cost added to the tool's predicted utility when {@link #chooseByPrediction choosing by
   * prediction}, in seconds of expected time (for example the price of a paid API converted to the
   * seconds you would wait to avoid it); default 0. Declaring it again replaces it.
   *
   * @throws IllegalArgumentException if {@code cost} is negative, infinite or NaN
   */
  public ToolFallbacksBuilder cost(Tool<?, ?> tool, double cost) {
    Objects.requireNonNull(tool, "tool");
    if (!(cost >= 0 && cost < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "the cost of tool '" + tool.name() + "' must be finite and >= 0, was " + cost);
    }
    costs.put(tool.name(), cost);
    return this;
  }

  /**
   * Builds the policy.
   *
   * @throws IllegalStateException if no chain and no capability was declared, or a {@link #cost}
   *     was declared without {@link #chooseByPrediction}
   * @throws IllegalArgumentException naming the tools involved if two different tools share a name,
   *     a tool falls back to two different tools, chains loop, or an alternative does not accept
   *     the input of the tool it stands in for
   */
  public ToolFallbacks build() {
    if (chains.isEmpty() && groups.isEmpty()) {
      throw new IllegalStateException(
          "declare at least one chain(...) or capability(...): this policy would never swap");
    }
    if (!costs.isEmpty() && choosingPredictor == null) {
      throw new IllegalStateException(
          "cost(...) was declared for "
              + costs.keySet()
              + " but is used only when choosing by prediction: add chooseByPrediction(predictor)");
    }
    FallbackGraph graph = FallbackGraph.of(chains, groups);
    for (String tool : costs.keySet()) {
      if (!graph.tools().containsKey(tool)) {
        throw new IllegalArgumentException(
            "cost(...) names tool '"
                + tool
                + "', which is in no chain or capability group; tools: "
                + graph.tools().keySet());
      }
    }
    // reads time, never schedules: the system time source starts no thread here
    TimeSource time = timeSource != null ? timeSource : new SystemTimeSource();
    return new ToolFallbacks(
        graph,
        new FallbackBreakers(graph.tools().keySet(), breaker, time),
        minPredictedSuccess,
        choosingPredictor == null ? null : new PredictedUtility(choosingPredictor, costs));
  }
}
