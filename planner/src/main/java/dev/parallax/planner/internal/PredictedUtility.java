package dev.parallax.planner.internal;

import dev.parallax.core.call.ToolCall;
import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.spi.Prediction;
import dev.parallax.core.spi.Predictor;
import dev.parallax.core.tool.Tool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Ranks a call's candidate tools by predicted utility: the expected time to a success, {@code
 * latency / max(success, ε) + cost} in seconds (lower is better).
 *
 * <p>Each alternative is predicted by asking the predictor about the call as if it ran on that tool
 * (a view of the call whose {@link PendingCall#tool()} is the alternative); the primary's own
 * prediction, made when the call was queued, is used when there is one. A candidate without a
 * prediction has no utility and ranks after every candidate with one, in declared order; a primary
 * without a prediction stays first, since nothing is known to beat it. The sort is stable, so ties
 * keep the declared order. A predictor that throws counts as no prediction (logged, counted).
 *
 * <p>Thread-safe. Internal; may change at any time.
 */
public final class PredictedUtility {

  private static final Logger LOG = Logger.getLogger(PredictedUtility.class.getName());

  /** The smallest success probability a latency is divided by. */
  public static final double MIN_SUCCESS = 0.01;

  /** A candidate tool and its utility ({@code +∞} when it has no prediction). */
  public record Candidate(Tool<?, ?> tool, double utility) {
    /** Whether the candidate had a prediction. */
    public boolean predicted() {
      return utility != Double.POSITIVE_INFINITY;
    }
  }

  private final Predictor predictor;
  private final Map<String, Double> costs;
  private final AtomicLong predictorFailures = new AtomicLong();

  /**
   * @param costs declared cost per tool name, in seconds of expected time; others cost 0
   */
  public PredictedUtility(Predictor predictor, Map<String, Double> costs) {
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.costs = Map.copyOf(costs);
  }

  /** The declared cost of the tool, 0 if none. */
  public double cost(String toolName) {
    return costs.getOrDefault(toolName, 0.0);
  }

  /** How many times the predictor threw. */
  public long predictorFailures() {
    return predictorFailures.get();
  }

  /**
   * The candidates, best first.
   *
   * @param withPrimary whether the call's own tool competes (it does not when predicted to fail)
   */
  public List<Candidate> rank(
      PendingCall call, List<Tool<?, ?>> alternatives, boolean withPrimary) {
    List<Candidate> ranked = new ArrayList<>(alternatives.size() + 1);
    Candidate primary = null;
    if (withPrimary) {
      Prediction own = call.prediction();
      primary = new Candidate(call.tool(), utility(call.tool(), own != null ? own : ask(call)));
      ranked.add(primary);
    }
    for (Tool<?, ?> alternative : alternatives) {
      ranked.add(
          new Candidate(alternative, utility(alternative, ask(new OnTool(call, alternative)))));
    }
    if (primary != null && !primary.predicted()) {
      List<Candidate> rest = new ArrayList<>(ranked.subList(1, ranked.size()));
      rest.sort(Comparator.comparingDouble(Candidate::utility));
      rest.add(0, primary);
      return rest;
    }
    ranked.sort(Comparator.comparingDouble(Candidate::utility));
    return ranked;
  }

  private double utility(Tool<?, ?> tool, @Nullable Prediction prediction) {
    if (prediction == null) {
      return Double.POSITIVE_INFINITY;
    }
    double seconds = prediction.latency().toNanos() / 1e9;
    return seconds / Math.max(prediction.successProbability(), MIN_SUCCESS) + cost(tool.name());
  }

  private @Nullable Prediction ask(PendingCall call) {
    try {
      return predictor.predict(call);
    } catch (Throwable e) {
      predictorFailures.incrementAndGet();
      LOG.log(
          Level.WARNING,
          "the predictor threw while choosing by prediction for "
              + call.tool().name()
              + "; that tool counts as unpredicted",
          e);
      return null;
    }
  }

  /** The call as if it ran on another tool. */
  private static final class OnTool implements PendingCall {
    private final PendingCall call;
    private final Tool<?, ?> tool;

    OnTool(PendingCall call, Tool<?, ?> tool) {
      this.call = call;
      this.tool = tool;
    }

    @Override
    public Tool<?, ?> tool() {
      return tool;
    }

    @Override
    public String runId() {
      return call.runId();
    }

    @Override
    public int index() {
      return call.index();
    }

    @Override
    public ToolCall<?, ?> call() {
      return call.call();
    }

    @Override
    public List<String> dependsOn() {
      return call.dependsOn();
    }

    @Override
    public int attempt() {
      return call.attempt();
    }

    @Override
    public @Nullable Prediction prediction() {
      return null;
    }

    @Override
    public String toString() {
      return call + " on " + tool.name();
    }
  }
}
