package dev.parallax.planner.internal;

import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PredictedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/*
 * The preloading decision, a pure state machine fed with finished calls (no threads, no clock), so
 * the result cache and the virtual-time replay take exactly the same decisions.
 *
 * It keeps the session's recent calls (the model's context) and two guards on waste:
 *
 * 1. A token bucket per real call: `tokens` starts at `burst`; each finished real call adds
 *    `wastePerCall` (capped at `burst`); each preload started takes one; each preload a real call
 *    used gives one back. Unused preloads are at most burst + wastePerCall x real calls.
 * 2. Live precision per rule, as a share budget: a rule's preload starts only if, counting it and
 *    every preload of the rule not (yet) used as wasted, unused <= RULE_ALLOWANCE + maxWasteShare x
 *    started (for that rule; RULE_ALLOWANCE = 2: a first miss and a pending preload must be allowed
 *    before anything is known). That is: the rule's live precision used / started stays at least
 *    1 - maxWasteShare, less 2 / started. Preloads still running or stored count as unused until a
 *    real call uses them, so the bound holds at every instant, whatever the model and the data:
 *    summed over the rules, wasted <= maxWasteShare x started + 2 x (rules that fired). A rule the
 *    budget refuses is suspended. Per rule, not for all rules together: a rule learnt on data that
 *    does not hold here stops itself, not the rules that do hold. (A significance test on each
 *    rule's precision, tried first, never fired before this budget did: the budget is the stricter
 *    of the two.)
 * 3. Re-admission on shadow evidence. A suspended rule keeps predicting, in the shadow: each
 *    prediction its budget refuses is remembered (its key, no call, no token) and judged like a
 *    preload: right when the session's real calls make that exact call within MISS_AFTER_CALLS
 *    calls, wrong otherwise. Shadow predictions count in the rule's ledger like preloads (started;
 *    used when right), so the ledger measures the rule's live precision over all its predictions,
 *    run or not, and the rule preloads again as soon as that precision is back above
 *    1 - maxWasteShare (less 2 / predictions). Without this a suspended rule stayed suspended for
 *    good (it started nothing, so nothing of it could ever be used), and one bad session early on
 *    lost a rule that held on the sessions after it. The bound becomes, per rule, unused preloads
 *    <= RULE_ALLOWANCE + maxWasteShare x (preloads + shadow predictions): a shadow prediction that
 *    came true buys a quarter of a wasted preload, exactly as a used preload does.
 *
 * A preload is pending until a real call uses it or the caller reports it missed (failed,
 * cancelled, its session ended); pending preloads older than MISS_AFTER_CALLS real calls are
 * dropped from the pending set (they stay counted as unused).
 *
 * After a call it asks the model for predictions (most probable first) and keeps, in order, those of
 * at least `minProbability` whose rule is not suspended and that the caller wants (a preloadable
 * tool, not already cached or running), while fewer than `maxPerCall` are kept, the preloads in
 * flight plus those kept stay under `maxInFlight`, and both budgets allow one more.
 */

/**
 * Decides which predicted calls to preload; see the comment at the top of the source. Not
 * thread-safe: callers synchronize. Internal; may change at any time.
 */
public final class PreloadPlanner {

  /** Real calls after which a preload no real call used counts as a miss of its rule. */
  public static final int MISS_AFTER_CALLS = PreloadModel.Learner.DEFAULT_HORIZON;

  /** Preloads of a rule that may go unused beyond the share (guard 2). */
  static final int RULE_ALLOWANCE = 2;

  private final Preloading options;

  /**
   * The session of {@link #afterCall(ObservedCall, int, Predicate)} (one context for all calls).
   */
  private final Session single = new Session();

  /** Preloads not yet resolved, each with the session whose call predicted it. */
  private final Map<PredictedCall, Session> pending = new IdentityHashMap<>();

  /** Per rule: {started (preloads and shadow predictions), used (or came true), missed}. */
  private final Map<String, long[]> byRule = new HashMap<>();

  private record Shadow(String rule, long at) {}

  /**
   * One agent session's state: its recent calls (the model's context), its shadow predictions and
   * its pending preloads, with its own count of real calls (a preload waits for MISS_AFTER_CALLS
   * calls of its own session). Created by {@link #newSession()}; used under the planner's lock.
   */
  public static final class Session {
    private final Deque<ObservedCall> context = new ArrayDeque<>();

    /** Shadow predictions not yet judged: key of the predicted call, its rule, real calls then. */
    private final Map<String, Shadow> shadows = new HashMap<>();

    /** This session's pending preloads, with its real calls when each was started. */
    private final Map<PredictedCall, Long> pending = new IdentityHashMap<>();

    private long calls;
    private boolean ended;

    private Session() {}

    /** Real calls of the session seen so far. */
    public long calls() {
      return calls;
    }
  }

  private PreloadModel model;
  private double tokens;
  private long calls;
  private long started;
  private long used;
  private long skippedBudget;
  private long skippedInFlight;
  private long skippedSuspended;
  private long shadowPredicted;
  private long shadowRight;

  /** A planner with a full budget and an empty context. */
  public PreloadPlanner(Preloading options) {
    this.options = options;
    this.model = options.model();
    this.tokens = options.burst();
  }

  /** Replaces the model (for instance after relearning); the context, budget and rules are kept. */
  public void model(PreloadModel model) {
    this.model = model;
  }

  /**
   * Records a finished real call and returns the predicted calls to start now; each costs a token.
   * The caller reports each one later with {@link #used}, {@link #missed} or {@link #notStarted}.
   *
   * @param call the call that just finished
   * @param inFlight preloads running now
   * @param wanted whether a prediction may be preloaded at all (a preloadable tool, not already
   *     stored or under way)
   */
  public List<PredictedCall> afterCall(
      ObservedCall call, int inFlight, Predicate<PredictedCall> wanted) {
    return afterCall(single, call, inFlight, wanted);
  }

  /** A new session with an empty context; reads no state of the planner (needs no lock). */
  public Session newSession() {
    return new Session();
  }

  /**
   * Same as {@link #afterCall(ObservedCall, int, Predicate)} for one of several sessions: only the
   * calls of {@code session} form the context the model predicts from; the budget and the rules'
   * ledgers are shared by all sessions. A session already ended is started afresh.
   */
  public List<PredictedCall> afterCall(
      Session session, ObservedCall call, int inFlight, Predicate<PredictedCall> wanted) {
    session.ended = false;
    calls++;
    session.calls++;
    expire(session);
    judgeShadows(session, call);
    Deque<ObservedCall> context = session.context;
    context.addLast(call);
    while (context.size() > model.contextSize()) {
      context.removeFirst();
    }
    tokens = Math.min(options.burst(), tokens + options.wastePerCall());
    List<PredictedCall> start = new ArrayList<>();
    for (PredictedCall p : model.predict(List.copyOf(context))) {
      if (start.size() >= options.maxPerCall()) {
        break;
      }
      if (p.probability() < options.minProbability()) {
        continue;
      }
      if (!wanted.test(p)) {
        continue;
      }
      if (!shareAllowsOneMore(ruleOf(p))) {
        skippedSuspended++;
        shadow(session, p);
        continue;
      }
      if (inFlight + start.size() >= options.maxInFlight()) {
        skippedInFlight++;
        break;
      }
      if (tokens < 1) {
        skippedBudget++;
        break;
      }
      tokens -= 1;
      started++;
      pending.put(p, session);
      session.pending.put(p, session.calls);
      byRule.computeIfAbsent(ruleOf(p), r -> new long[3])[0]++;
      start.add(p);
    }
    return start;
  }

  /**
   * The rule of a prediction without its learnt probability and counts ("after A: B{...}"), so that
   * a rule keeps its ledger when the model is relearnt and its probability moves.
   */
  public static String ruleOf(PredictedCall p) {
    return RULE_FIGURES.matcher(p.rule()).replaceFirst("");
  }

  private static final java.util.regex.Pattern RULE_FIGURES =
      java.util.regex.Pattern.compile(" p=[0-9.]+ \\(\\d+/\\d+\\)$");

  private boolean shareAllowsOneMore(String rule) {
    long[] c = byRule.get(rule);
    long ruleStarted = c == null ? 0 : c[0];
    long unused = c == null ? 0 : c[0] - c[1];
    return unused + 1 <= RULE_ALLOWANCE + options.maxWasteShare() * (ruleStarted + 1);
  }

  /** Remembers a prediction its rule's budget refused, to judge it against the next calls. */
  private void shadow(Session session, PredictedCall p) {
    String key = PreloadTemplate.key(p.tool(), p.arguments());
    if (key == null || session.shadows.containsKey(key)) {
      return;
    }
    session.shadows.put(key, new Shadow(ruleOf(p), session.calls));
    shadowPredicted++;
    byRule.computeIfAbsent(ruleOf(p), r -> new long[3])[0]++;
  }

  /** A real call that a shadow prediction named: the prediction came true. */
  private void judgeShadows(Session session, ObservedCall call) {
    if (session.shadows.isEmpty()) {
      return;
    }
    String key = PreloadTemplate.key(call.tool(), call.arguments());
    Shadow s = key == null ? null : session.shadows.remove(key);
    if (s != null) {
      shadowRight++;
      byRule.computeIfAbsent(s.rule(), r -> new long[3])[1]++;
    }
  }

  /** Resolves as misses the preloads that waited {@link #MISS_AFTER_CALLS} real calls in vain. */
  private void expire(Session session) {
    long now = session.calls;
    session.shadows.values().removeIf(s -> now - s.at() > MISS_AFTER_CALLS);
    List<PredictedCall> expired = new ArrayList<>();
    for (Map.Entry<PredictedCall, Long> e : session.pending.entrySet()) {
      if (now - e.getValue() > MISS_AFTER_CALLS) {
        expired.add(e.getKey());
      }
    }
    expired.forEach(this::missed);
  }

  /** A preload returned by {@link #afterCall} was used by a real call: its token comes back. */
  public void used(PredictedCall preload) {
    if (!resolve(preload)) {
      return; // already resolved
    }
    used++;
    byRule.computeIfAbsent(ruleOf(preload), r -> new long[3])[1]++;
    tokens = Math.min(options.burst(), tokens + 1);
  }

  /**
   * A preload returned by {@link #afterCall} will not be used: it failed, was cancelled or evicted.
   * It counts as a miss of its rule (and stays counted as unused).
   */
  public void missed(PredictedCall preload) {
    if (resolve(preload)) {
      miss(preload);
    }
  }

  /** Takes a preload out of the pending ones; false if it was resolved already. */
  private boolean resolve(PredictedCall preload) {
    Session session = pending.remove(preload);
    if (session == null) {
      return false;
    }
    session.pending.remove(preload);
    return true;
  }

  private void miss(PredictedCall preload) {
    byRule.computeIfAbsent(ruleOf(preload), r -> new long[3])[2]++;
  }

  /** The session ended: its context is dropped and its pending preloads are misses. */
  public void endSession() {
    endSession(single);
  }

  /**
   * The session ended: its context is dropped and its pending preloads are misses (a preload
   * another session uses later still counts as used). Ending a session twice does nothing more.
   */
  public void endSession(Session session) {
    if (session.ended) {
      return;
    }
    session.ended = true;
    session.context.clear();
    session.shadows.clear();
    for (PredictedCall p : List.copyOf(session.pending.keySet())) {
      missed(p);
    }
  }

  /**
   * A preload returned by {@link #afterCall} could not start: its token comes back and it counts
   * neither as started nor for its rule.
   */
  public void notStarted(PredictedCall preload) {
    if (!resolve(preload)) {
      return;
    }
    started--;
    byRule.computeIfAbsent(ruleOf(preload), r -> new long[3])[0]--;
    tokens = Math.min(options.burst(), tokens + 1);
  }

  /**
   * A preload returned by {@link #afterCall} was cancelled to let real calls have the capacity: it
   * says nothing of its rule (it counts neither as started nor as missed for it), but its token is
   * spent.
   */
  public void cancelled(PredictedCall preload) {
    if (!resolve(preload)) {
      return;
    }
    byRule.computeIfAbsent(ruleOf(preload), r -> new long[3])[0]--;
  }

  /** The rules (in words) their share budget refuses now, sorted. */
  public List<String> suspendedRules() {
    Set<String> out = new TreeSet<>();
    for (String rule : byRule.keySet()) {
      if (!shareAllowsOneMore(rule)) {
        out.add(rule);
      }
    }
    return List.copyOf(out);
  }

  /** Predictions a suspended rule made in the shadow (judged, never started). */
  public long shadowPredicted() {
    return shadowPredicted;
  }

  /** Shadow predictions that came true (the session made that call). */
  public long shadowRight() {
    return shadowRight;
  }

  /** Predictions not preloaded because the token bucket was empty. */
  public long skippedBudget() {
    return skippedBudget;
  }

  /** Predictions not preloaded because {@code maxInFlight} preloads were running. */
  public long skippedInFlight() {
    return skippedInFlight;
  }

  /** Predictions not preloaded because their rule's share budget refused them. */
  public long skippedSuspended() {
    return skippedSuspended;
  }
}
