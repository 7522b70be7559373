package dev.parallax.planner.preload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.planner.internal.PreloadLearning;
import dev.parallax.planner.internal.PreloadLearning.Learned;
import dev.parallax.planner.internal.PreloadTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What calls tend to follow which, learned from history: per tool, a few rules "after a call of A,
 * a call of B with arguments taken from A's arguments, A's result or a list seen recently", each
 * with its empirical probability and counts ({@link #rules()}). Small and explainable by design;
 * see {@link Learner} for how rules are found and selected.
 *
 * <p>Immutable and thread-safe.
 */
public final class PreloadModel {

  private static final PreloadModel EMPTY = new PreloadModel(List.of(), Learner.DEFAULT_CONTEXT);

  private final List<Learned> rules;
  private final Map<String, List<Learned>> byTrigger;
  private final int contextSize;

  private PreloadModel(List<Learned> rules, int contextSize) {
    this.rules = List.copyOf(rules);
    this.byTrigger = PreloadLearning.byTrigger(this.rules);
    this.contextSize = contextSize;
  }

  /** A model without rules: it predicts nothing. */
  public static PreloadModel empty() {
    return EMPTY;
  }

  /** Starts a learner with the defaults listed on its methods. */
  public static Learner learner() {
    return new Learner();
  }

  /** The rules, most probable first within each trigger tool. */
  public List<PreloadRule> rules() {
    return rules.stream().map(Learned::rule).toList();
  }

  /** How many recent calls of a session the rules look at (for lists seen in recent results). */
  public int contextSize() {
    return contextSize;
  }

  /**
   * The calls predicted to follow the last call of {@code context}, most probable first, each once.
   * Calls already in the context are not predicted.
   *
   * @param context the session's recent calls, oldest first, the one that just finished last; only
   *     the last {@link #contextSize()} are used
   * @throws IllegalArgumentException if the context is empty
   */
  public List<PredictedCall> predict(List<ObservedCall> context) {
    Objects.requireNonNull(context, "context");
    if (context.isEmpty()) {
      throw new IllegalArgumentException("the context holds no call: nothing to predict from");
    }
    List<ObservedCall> recent =
        context.subList(Math.max(0, context.size() - contextSize), context.size());
    List<Learned> candidates = byTrigger.get(recent.get(recent.size() - 1).tool());
    if (candidates == null) {
      return List.of();
    }
    Set<String> seen = new HashSet<>();
    for (ObservedCall c : recent) {
      seen.add(PreloadTemplate.key(c.tool(), c.arguments()));
    }
    List<PredictedCall> out = new ArrayList<>();
    for (Learned l : candidates) {
      ObjectNode args = l.template().instantiate(recent);
      String key = args == null ? null : PreloadTemplate.key(l.rule().target(), args);
      if (key != null && seen.add(key)) {
        out.add(
            new PredictedCall(
                l.rule().target(),
                args,
                l.rule().probability(),
                l.rule().support(),
                l.rule().toString()));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("PreloadModel[" + rules.size() + " rules]");
    for (Learned l : rules) {
      s.append(System.lineSeparator()).append("  ").append(l.rule());
    }
    return s.toString();
  }

  /**
   * Learns a {@link PreloadModel} from sessions of calls (an agent's conversation each, calls in
   * order).
   *
   * <p>For every call and each of the {@link #horizon} calls after it, the learner explains each
   * argument of the later call by where its value could be found when the earlier call had just
   * finished: in the earlier call's arguments, in its result (a JSON pointer such as {@code
   * /reservations/0}), as the element after one of its arguments in a list of a recent result, or
   * as a constant. Each explanation is a candidate rule; it is scored on every call of its trigger
   * tool (a try; a success when exactly that call follows within the horizon, calls already made in
   * the session not counting) and kept with at least {@link #minSupport} successes and a success
   * rate of at least {@link #minConfidence}.
   *
   * <p>Not thread-safe; {@link #learn} may be called many times.
   */
  public static final class Learner {

    /** Default {@link #horizon}. */
    public static final int DEFAULT_HORIZON = 30;

    /** Default {@link #contextSize}. */
    public static final int DEFAULT_CONTEXT = 16;

    /** Default {@link #minSupport}. */
    public static final long DEFAULT_MIN_SUPPORT = 3;

    /** Default {@link #minConfidence}. */
    public static final double DEFAULT_MIN_CONFIDENCE = 0.5;

    /** Default {@link #maxRulesPerTool}. */
    public static final int DEFAULT_MAX_RULES_PER_TOOL = 4;

    private int horizon = DEFAULT_HORIZON;
    private int contextSize = DEFAULT_CONTEXT;
    private long minSupport = DEFAULT_MIN_SUPPORT;
    private double minConfidence = DEFAULT_MIN_CONFIDENCE;
    private int maxRulesPerTool = DEFAULT_MAX_RULES_PER_TOOL;
    private Predicate<String> targets = tool -> true;

    private Learner() {}

    /**
     * Which tools rules may predict, by name; default all. Give the tools that may be preloaded
     * (idempotent and cacheable), so that rules predicting tools with side effects do not take the
     * places of useful ones.
     */
    public Learner targets(Predicate<String> tools) {
      this.targets = Objects.requireNonNull(tools, "tools");
      return this;
    }

    /**
     * How many calls after a call a predicted call may come and still count as used; default 30.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Learner horizon(int calls) {
      this.horizon = positive("horizon", calls);
      return this;
    }

    /**
     * How many recent calls of a session rules may read (lists in their results); default 16.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Learner contextSize(int calls) {
      this.contextSize = positive("contextSize", calls);
      return this;
    }

    /**
     * Fewest predictions that came true for a rule to be kept; default 3.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Learner minSupport(long successes) {
      if (successes < 1) {
        throw new IllegalArgumentException("minSupport must be at least 1, was " + successes);
      }
      this.minSupport = successes;
      return this;
    }

    /**
     * Lowest share of a rule's predictions that came true for it to be kept; default 0.5 (more
     * likely right than wrong, like {@link Preloading.Builder#minProbability}; the waste goal is
     * enforced online by {@link Preloading}, not by this threshold).
     *
     * @throws IllegalArgumentException if not in (0, 1]
     */
    public Learner minConfidence(double probability) {
      if (!(probability > 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "minConfidence must be in (0, 1], was "
                + String.format(Locale.ROOT, "%s", probability));
      }
      this.minConfidence = probability;
      return this;
    }

    /**
     * Most rules kept per trigger tool, the most probable; default 4.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Learner maxRulesPerTool(int rules) {
      this.maxRulesPerTool = positive("maxRulesPerTool", rules);
      return this;
    }

    /**
     * Learns from the sessions, each a list of calls in the order they were made.
     *
     * @throws NullPointerException if the sessions or one of them is null
     */
    public PreloadModel learn(List<? extends List<ObservedCall>> sessions) {
      Objects.requireNonNull(sessions, "sessions");
      sessions.forEach(s -> Objects.requireNonNull(s, "a session"));
      return new PreloadModel(
          PreloadLearning.learn(
              sessions, targets, horizon, contextSize, minSupport, minConfidence, maxRulesPerTool),
          contextSize);
    }

    private static int positive(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
