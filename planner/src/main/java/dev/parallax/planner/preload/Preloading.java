package dev.parallax.planner.preload;

import dev.parallax.core.spi.PendingCall;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolSpec;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 * With {@code CaffeineResultCacheBuilder.preloadAdmission} (the facade sets it to the executor's
 * admission control), each preload also takes a permit of that admission control, as a run of its
 * own, and gives it back when its body ends: limits shared across runs (adaptive limits, a
 * cluster's permits) count preloads like real calls, and a tool at its limit is not preloaded.
 * Since a real call asks for its permit before it looks in the cache, a real call refused because
 * its own preload holds the last permit cancels that preload and runs the tool itself.
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
 * <p><b>One context per agent session.</b> The model predicts from the recent calls of the call's
 * own session only ({@link Builder#sessionKey}: by default the OpenTelemetry baggage entry {@value
 * #SESSION_BAGGAGE} where the run was started, else the run id), so that one conversation's calls
 * never predict from another's. The budget and the rules' live precision are shared by all
 * sessions. A session without calls for {@link Builder#sessionIdle} (default five minutes), or
 * pushed out by {@link Builder#maxSessions} (default 10,000), ends: its context is dropped and its
 * preloads not yet used count as misses of their rules.
 *
 * <p><b>Live learning</b> (off by default; {@link Builder#learnLive}): the cache keeps the calls of
 * the sessions that ended (the last {@link Builder#learnWindow}) and relearns the model from them
 * in the background every few finished sessions; {@link PreloadStats#modelVersion()} and {@link
 * PreloadStats#sessionsLearnt()} tell which model is in use.
 *
 * <p><b>Limitations.</b> Without baggage or a key function, a session is one run: an integration
 * that makes one run per turn (LangChain4j, Spring AI) gives each turn its own context unless the
 * caller puts the conversation's id in the baggage entry {@value #SESSION_BAGGAGE} (or gives a key
 * function). A session ends only when idle or pushed out (there is no "session over" signal), so
 * live learning sees a session {@code sessionIdle} after its last call; a session's calls are kept
 * for learning from its first {@value Builder#MAX_CALLS_LEARNT_PER_SESSION} (arguments and results
 * as JSON, in memory: the kept sessions are bounded in number, not in bytes). Relearning starts
 * from the defaults of {@link PreloadModel#learner()} (or from {@link Builder#learner}), not from
 * the options the given model was learnt with (a model does not carry them), and learns from the
 * sessions this cache served only. Calls whose input Jackson cannot write as JSON are not observed.
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
  private final Function<? super PendingCall, ? extends @Nullable Object> sessionKey;
  private final Duration sessionIdle;
  private final int maxSessions;
  private final int learnEverySessions;
  private final int learnWindow;
  private final Supplier<PreloadModel.Learner> learner;
  private final @Nullable Executor learnExecutor;
  private final boolean customLearner;

  /**
   * The name of the OpenTelemetry baggage entry the default {@linkplain Builder#sessionKey session
   * key} reads: {@code session.id}, as in OpenTelemetry's semantic conventions for sessions (the
   * entry the integrations set with {@link dev.parallax.core.trace.SessionBaggage#with}).
   */
  public static final String SESSION_BAGGAGE = dev.parallax.core.trace.SessionBaggage.ENTRY;

  /**
   * A session key that reads the baggage entry {@code entry} of the OpenTelemetry context current
   * where the call's run was started (the executor carries the submitting thread's context into the
   * run), and falls back to the call's run id when the entry is absent or blank.
   *
   * <pre>{@code
   * try (Scope s = Baggage.current().toBuilder().put("session.id", conversationId).build()
   *     .makeCurrent()) {
   *   executor.execute(plan); // this turn's calls share the conversation's preload context
   * }
   * }</pre>
   */
  public static Function<PendingCall, Object> sessionFromBaggage(String entry) {
    Objects.requireNonNull(entry, "entry");
    return call -> {
      String value = Baggage.current().getEntryValue(entry);
      return value == null || value.isBlank() ? call.runId() : value;
    };
  }

  private Preloading(Builder b) {
    this.tools = List.copyOf(b.tools.values());
    this.model = b.model;
    this.minProbability = b.minProbability;
    this.maxPerCall = b.maxPerCall;
    this.maxInFlight = b.maxInFlight;
    this.wastePerCall = b.wastePerCall;
    this.burst = b.burst;
    this.maxWasteShare = b.maxWasteShare;
    this.sessionKey = b.sessionKey;
    this.sessionIdle = b.sessionIdle;
    this.maxSessions = b.maxSessions;
    this.learnEverySessions = b.learnEverySessions;
    this.learnWindow = b.learnWindow;
    this.learner = b.learner;
    this.learnExecutor = b.learnExecutor;
    this.customLearner = b.customLearner;
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

  /** What identifies the agent session of a call; see {@link Builder#sessionKey}. */
  public Function<? super PendingCall, ? extends @Nullable Object> sessionKey() {
    return sessionKey;
  }

  /** How long a session may stay without calls before it ends. */
  public Duration sessionIdle() {
    return sessionIdle;
  }

  /** Most sessions whose context is kept at once. */
  public int maxSessions() {
    return maxSessions;
  }

  /** Finished sessions between two relearnings of the model; 0 when live learning is off. */
  public int learnEverySessions() {
    return learnEverySessions;
  }

  /** Most finished sessions kept to relearn from (the most recent). */
  public int learnWindow() {
    return learnWindow;
  }

  /** Makes the learner of each relearning. */
  public Supplier<PreloadModel.Learner> learner() {
    return learner;
  }

  /** Whether {@link #learner()} was given (else its targets are set to the preloadable tools). */
  public boolean learnerGiven() {
    return customLearner;
  }

  /** Where relearning runs, or {@code null} for a new virtual thread each time. */
  public @Nullable Executor learnExecutor() {
    return learnExecutor;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Preloading[rules=%d, minProbability=%s, maxPerCall=%d, maxInFlight=%d, wastePerCall=%s,"
            + " burst=%d, maxWasteShare=%s, sessionIdle=%s, maxSessions=%d,"
            + " learnEverySessions=%d, learnWindow=%d]",
        model.rules().size(),
        minProbability,
        maxPerCall,
        maxInFlight,
        wastePerCall,
        burst,
        maxWasteShare,
        sessionIdle,
        maxSessions,
        learnEverySessions,
        learnWindow);
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

    /** Default {@link #sessionIdle}: five minutes. */
    public static final Duration DEFAULT_SESSION_IDLE = Duration.ofMinutes(5);

    /** Default {@link #maxSessions}. */
    public static final int DEFAULT_MAX_SESSIONS = 10_000;

    /** Default {@link #learnWindow}. */
    public static final int DEFAULT_LEARN_WINDOW = 500;

    /** Most calls of one session kept to relearn from (its first ones). */
    public static final int MAX_CALLS_LEARNT_PER_SESSION = 1_000;

    private double maxWasteShare = DEFAULT_MAX_WASTE_SHARE;
    private final Map<String, Tool<?, ?>> tools = new LinkedHashMap<>();
    private Function<? super PendingCall, ? extends @Nullable Object> sessionKey =
        sessionFromBaggage(SESSION_BAGGAGE);
    private Duration sessionIdle = DEFAULT_SESSION_IDLE;
    private int maxSessions = DEFAULT_MAX_SESSIONS;
    private int learnEverySessions;
    private int learnWindow = DEFAULT_LEARN_WINDOW;
    private Supplier<PreloadModel.Learner> learner = PreloadModel::learner;
    private @Nullable Executor learnExecutor;
    private boolean customLearner;

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

    /**
     * What identifies the agent session of a call: the calls with one key form one context, the
     * only calls the model predicts from after a call of that session (so that one conversation's
     * calls never predict from another's, nor carry its ids into a preload). Default {@link
     * #sessionFromBaggage sessionFromBaggage}{@code (}{@link #SESSION_BAGGAGE}{@code )}: the
     * baggage entry {@code session.id} where the run was started, else the run id (one run, one
     * session). The function is called on the call's thread, with the run's OpenTelemetry context
     * current, after the call; a {@code null} key means the run id. If it throws, the failure is
     * logged and counted in {@link PreloadStats#seamFailures()} and the run id is used.
     */
    public Builder sessionKey(Function<? super PendingCall, ? extends @Nullable Object> key) {
      this.sessionKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * How long a session may stay without calls before it ends (its context is dropped, its
     * preloads not yet used count as misses, and live learning counts it finished); default five
     * minutes. Measured with the cache's ticker. Ended sessions are noticed during the cache's
     * work, not on time.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder sessionIdle(Duration idle) {
      Objects.requireNonNull(idle, "idle");
      if (idle.isNegative() || idle.isZero()) {
        throw new IllegalArgumentException("sessionIdle must be positive, was " + idle);
      }
      this.sessionIdle = idle;
      return this;
    }

    /**
     * Most sessions whose context is kept at once; beyond, the least recently used sessions end
     * early (as if idle). Default 10,000.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxSessions(int sessions) {
      this.maxSessions = positive("maxSessions", sessions);
      return this;
    }

    /**
     * Turns live learning on: the cache keeps the calls of the sessions it serves (the last {@link
     * #learnWindow} finished sessions, the first {@link #MAX_CALLS_LEARNT_PER_SESSION} calls of
     * each) and relearns the model from them in the background every {@code everySessions} finished
     * sessions (a session finishes when idle past {@link #sessionIdle} or pushed out by {@link
     * #maxSessions}). Relearning never runs on a real call's thread, at most one runs at a time,
     * and the new model replaces the old one atomically (the rules' live ledgers carry over); a
     * relearning that fails is logged and counted ({@link PreloadStats#relearnFailures()}) and the
     * old model stays. The model given to {@link #model} serves until the first relearning. Default
     * 0: off, the model is the given one for good.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder learnLive(int everySessions) {
      if (everySessions < 0) {
        throw new IllegalArgumentException(
            "learnLive needs a number of sessions >= 0, was " + everySessions);
      }
      this.learnEverySessions = everySessions;
      return this;
    }

    /**
     * Most finished sessions live learning keeps and relearns from, the most recent; default 500.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder learnWindow(int sessions) {
      this.learnWindow = positive("learnWindow", sessions);
      return this;
    }

    /**
     * Makes the learner of each live relearning, with its options; default {@link
     * PreloadModel#learner()} with its defaults and its {@linkplain PreloadModel.Learner#targets
     * targets} set to the tools the cache may preload. A learner given here is used as it comes:
     * set its targets. Called once per relearning, in the background.
     */
    public Builder learner(Supplier<PreloadModel.Learner> learner) {
      this.learner = Objects.requireNonNull(learner, "learner");
      this.customLearner = true;
      return this;
    }

    /**
     * Where live relearning runs; default a new virtual thread for each relearning. At most one
     * relearning is handed to it at a time.
     */
    public Builder learnExecutor(Executor executor) {
      this.learnExecutor = Objects.requireNonNull(executor, "executor");
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
