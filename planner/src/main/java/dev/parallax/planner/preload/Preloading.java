package dev.parallax.planner.preload;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolSpec;
import io.opentelemetry.api.common.AttributeKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Options of speculative preloading: after each finished call, the calls the {@linkplain
 * PreloadModel model} predicts are started early into the result cache, so that the agent's real
 * call finds its result there (or joins the computation under way).
 *
 * <p><b>What is preloaded.</b> Only calls of tools declared both idempotent and cacheable (never a
 * tool with side effects), only predictions of at least {@link Builder#minProbability}, at most
 * {@link Builder#maxPerCall} after one call, never a call whose result is stored or under way.
 *
 * <p><b>Budget.</b> A token bucket bounds wasted calls: a preload costs one token, a preload the
 * agent used gives its token back, every real call earns {@link Builder#wastePerCall} tokens, and
 * the bucket holds at most {@link Builder#burst} (it starts full). So preloads nobody used number
 * at most {@code burst + wastePerCall x real calls}. At most {@link Builder#maxInFlight} preloads
 * run at once, none starts while a real call is queued for capacity, and when a real call has to
 * wait for capacity the running preloads no real call joined are cancelled (a joined one runs on).
 *
 * <p><b>Records and spans.</b> Preloads run in spans {@code preload {tool}} marked {@link
 * #PRELOAD}; a real call answered by a preload has {@link #PRELOAD_HIT} on its span and {@code
 * preloadHit} on its {@code ExecutionRecord}.
 *
 * <p><b>Live precision per rule.</b> A second bound holds per rule, whatever the model and the
 * traffic: a rule's preload starts only if, counting it and every preload of the rule not yet used
 * as wasted, {@code unused <= 2 + maxWasteShare x started} ({@link Builder#maxWasteShare}, default
 * 0.25). A rule learnt on history that does not hold on today's traffic is suspended after a few
 * misses and leaves the rules that do hold alone; {@link PreloadStats#suspendedRules()} names the
 * rules suspended now. A suspended rule keeps predicting in the shadow (no call, no token): each
 * prediction counts as started, and as used when the agent makes that very call soon after, so the
 * rule preloads again once its live precision over all its predictions is back; per rule, {@code
 * unused <= 2 + maxWasteShare x (started + shadow predictions)}.
 *
 * <p><b>Limitations.</b> A cache keeps one context (its recent calls) for all the runs it serves:
 * with many agent sessions at once in one cache, rules reading recent results see their calls
 * interleaved. The model is given, not learned while running: learn it from past sessions with
 * {@link PreloadModel#learner()} ({@link PreloadReplay} measures relearning it every few sessions,
 * prequentially). Calls whose input Jackson cannot write as JSON are not observed.
 *
 * <p>Built with {@link #builder()}; the builder is not thread-safe, the options are immutable.
 */
public final class Preloading {

  /** Span attribute: this span is a preload (a call started on a prediction, not by the agent). */
  public static final AttributeKey<Boolean> PRELOAD = AttributeKey.booleanKey("parallax.preload");

  /** Span attribute of a preload: the probability of the rule that predicted it. */
  public static final AttributeKey<Double> PRELOAD_PROBABILITY =
      AttributeKey.doubleKey("parallax.preload.probability");

  /** Span attribute of a real call: its value came from a preload. */
  public static final AttributeKey<Boolean> PRELOAD_HIT =
      AttributeKey.booleanKey("parallax.preload_hit");

  private final PreloadModel model;
  private final double minProbability;
  private final int maxPerCall;
  private final int maxInFlight;
  private final double wastePerCall;
  private final int burst;
  private final double maxWasteShare;
  private final List<Tool<?, ?>> tools;

  private Preloading(Builder b) {
    this.tools = List.copyOf(b.tools.values());
    this.model = b.model;
    this.minProbability = b.minProbability;
    this.maxPerCall = b.maxPerCall;
    this.maxInFlight = b.maxInFlight;
    this.wastePerCall = b.wastePerCall;
    this.burst = b.burst;
    this.maxWasteShare = b.maxWasteShare;
  }

  /** Starts a builder with the defaults listed on its methods. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model that predicts the next calls. */
  public PreloadModel model() {
    return model;
  }

  /** Lowest probability of a prediction that is preloaded. */
  public double minProbability() {
    return minProbability;
  }

  /** Most preloads started after one call. */
  public int maxPerCall() {
    return maxPerCall;
  }

  /** Most preloads running at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Tokens each real call earns for preloads. */
  public double wastePerCall() {
    return wastePerCall;
  }

  /**
   * The tools that may be preloaded before any real call of theirs was seen (tools seen in a real
   * call are known anyway).
   */
  public List<Tool<?, ?>> tools() {
    return tools;
  }

  /** Most share of a rule's preloads that may go unused (beyond two). */
  public double maxWasteShare() {
    return maxWasteShare;
  }

  /** Most tokens the budget holds (and holds at first). */
  public int burst() {
    return burst;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Preloading[rules=%d, minProbability=%s, maxPerCall=%d, maxInFlight=%d, wastePerCall=%s,"
            + " burst=%d, maxWasteShare=%s]",
        model.rules().size(),
        minProbability,
        maxPerCall,
        maxInFlight,
        wastePerCall,
        burst,
        maxWasteShare);
  }

  /** Builds {@link Preloading} options. Not thread-safe. */
  public static final class Builder {

    /** Default {@link #minProbability}. */
    public static final double DEFAULT_MIN_PROBABILITY = 0.5;

    /** Default {@link #maxPerCall}. */
    public static final int DEFAULT_MAX_PER_CALL = 2;

    /** Default {@link #maxInFlight}. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;

    /** Default {@link #wastePerCall}. */
    public static final double DEFAULT_WASTE_PER_CALL = 0.25;

    /** Default {@link #burst}. */
    public static final int DEFAULT_BURST = 4;

    /** Default {@link #maxWasteShare}: the goal, at most a quarter of preloads wasted. */
    public static final double DEFAULT_MAX_WASTE_SHARE = 0.25;

    private PreloadModel model = PreloadModel.empty();
    private double minProbability = DEFAULT_MIN_PROBABILITY;
    private int maxPerCall = DEFAULT_MAX_PER_CALL;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private double wastePerCall = DEFAULT_WASTE_PER_CALL;
    private int burst = DEFAULT_BURST;
    private double maxWasteShare = DEFAULT_MAX_WASTE_SHARE;
    private final Map<String, Tool<?, ?>> tools = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Tools that may be preloaded before a real call of theirs was seen; default none (a tool is
     * known once the cache saw a real call of it).
     *
     * @throws IllegalArgumentException if a tool is not both idempotent and cacheable (it can never
     *     be preloaded), or two tools share a name
     */
    public Builder tools(Collection<? extends Tool<?, ?>> tools) {
      Objects.requireNonNull(tools, "tools");
      for (Tool<?, ?> tool : tools) {
        Objects.requireNonNull(tool, "tool");
        ToolSpec spec = tool.spec();
        if (!spec.idempotent() || !spec.cacheable()) {
          throw new IllegalArgumentException(
              "tool '"
                  + spec.name()
                  + "' cannot be preloaded: only tools declared idempotent and cacheable are"
                  + " (idempotent="
                  + spec.idempotent()
                  + ", cacheable="
                  + spec.cacheable()
                  + ")");
        }
        Tool<?, ?> previous = this.tools.putIfAbsent(spec.name(), tool);
        if (previous != null && previous != tool) {
          throw new IllegalArgumentException("two tools are named '" + spec.name() + "'");
        }
      }
      return this;
    }

    /** Same as {@link #tools(Collection)}. */
    public Builder tools(Tool<?, ?>... tools) {
      return tools(List.of(tools));
    }

    /** The model; default {@link PreloadModel#empty()}, which preloads nothing. */
    public Builder model(PreloadModel model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Lowest probability of a prediction that is preloaded, on top of the model's own threshold;
     * default 0.5.
     *
     * @throws IllegalArgumentException if not in [0, 1]
     */
    public Builder minProbability(double probability) {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "minProbability must be in [0, 1], was "
                + String.format(Locale.ROOT, "%s", probability));
      }
      this.minProbability = probability;
      return this;
    }

    /**
     * Most preloads started after one call; default 2.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxPerCall(int preloads) {
      this.maxPerCall = positive("maxPerCall", preloads);
      return this;
    }

    /**
     * Most preloads running at once; default 4.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxInFlight(int preloads) {
      this.maxInFlight = positive("maxInFlight", preloads);
      return this;
    }

    /**
     * Tokens each real call earns for preloads (a used preload gives its token back); default 0.25,
     * so at most one unused preload per four real calls in the long run.
     *
     * @throws IllegalArgumentException if negative, not finite, or above 100
     */
    public Builder wastePerCall(double tokens) {
      if (!(tokens >= 0 && tokens <= 100)) {
        throw new IllegalArgumentException(
            "wastePerCall must be in [0, 100], was " + String.format(Locale.ROOT, "%s", tokens));
      }
      this.wastePerCall = tokens;
      return this;
    }

    /**
     * Most tokens the budget holds, and the tokens it starts with; default 4.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder burst(int tokens) {
      this.burst = positive("burst", tokens);
      return this;
    }

    /**
     * Most share of the preloads started that may go unused: a preload starts only if {@code unused
     * + 1 <= burst + maxWasteShare x (started + 1)}, preloads not yet used counting as unused; and
     * a rule is suspended once it is 95% sure its precision is below {@code 1 - maxWasteShare}.
     * Default 0.25; 1 turns both checks off.
     *
     * @throws IllegalArgumentException if not in (0, 1]
     */
    public Builder maxWasteShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException(
            "maxWasteShare must be in (0, 1], was " + String.format(Locale.ROOT, "%s", share));
      }
      this.maxWasteShare = share;
      return this;
    }

    /** The options. */
    public Preloading build() {
      return new Preloading(this);
    }

    private static int positive(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
