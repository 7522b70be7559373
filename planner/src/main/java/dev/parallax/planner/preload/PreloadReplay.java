package dev.parallax.planner.preload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parallax.planner.internal.PreloadPlanner;
import dev.parallax.planner.internal.PreloadTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/*
 * Replay in virtual time.
 *
 * Each session is played twice on its own virtual clock (nanoseconds from 0), once with the result
 * cache alone and once with the cache and preloading, with the same calls, gaps and latencies:
 *
 *   for each recorded call, in order:
 *     the agent issues it `gapBefore` after the previous call's answer (its thinking, the user);
 *     if the cache holds its key (stored, or a computation under way) the agent waits for what is
 *       left of it (0 when done): a hit, and a preload hit if a preload put it there;
 *     else the agent waits the call's latency; a call of a preloadable tool is then stored;
 *     with preloading, when the answer arrives the planner (the same PreloadPlanner the result cache
 *       uses) sees the recorded call and its recorded result, and each preload it returns starts at
 *       that instant and ends after the latency of that call.
 *
 * Latencies come from one function of (tool, arguments), so a preloaded call and the identical real
 * call take the same time. A preload is wasted when no real call of its session used it. Each
 * session starts with an empty cache and an empty context; one planner serves all the sessions in
 * order, like the planner of a cache that serves them one after another: its budgets and the live
 * precision of its rules carry over (a rule suspended in one session keeps predicting in the shadow,
 * and preloads again once those predictions come true often enough), and at the end of a session
 * its unused preloads are reported to the planner as misses.
 */

/**
 * Replays recorded sessions turn by turn in virtual time, with and without preloading, and counts
 * what preloading saved and wasted; see the comment at the top of the source. Stateless.
 */
public final class PreloadReplay {

  /**
   * One recorded call and how long the agent took to issue it.
   *
   * @param call the call, with its recorded result ({@code null} if it failed)
   * @param gapBefore time from the previous call's answer (or the session's start) to this call
   */
  public record Step(ObservedCall call, Duration gapBefore) {
    /** Checks the fields. */
    public Step {
      Objects.requireNonNull(call, "call");
      Objects.requireNonNull(gapBefore, "gapBefore");
      if (gapBefore.isNegative()) {
        throw new IllegalArgumentException("gapBefore must not be negative, was " + gapBefore);
      }
    }
  }

  /**
   * What a replay measured, summed over the sessions.
   *
   * @param calls real calls replayed
   * @param preloadableCalls real calls of preloadable tools
   * @param cacheHitsWithout real calls answered by the cache without preloading (repeats)
   * @param preloadsStarted preloads started
   * @param preloadHits real calls answered (at once or by joining) by a preloaded entry
   * @param preloadsWasted preloads no real call of their session used
   * @param waitWithoutNanos total time the agent waited for tools, cache alone
   * @param waitWithNanos total time the agent waited for tools, cache and preloading
   * @param skippedBudget predictions not preloaded because the budget was empty
   * @param skippedInFlight predictions not preloaded because enough preloads were running
   * @param skippedSuspended predictions not preloaded because their rule's live precision was too
   *     low (its share budget refused them)
   * @param suspendedRules the rules (in words) suspended at the end of the replay, sorted
   * @param byRule per rule (in words): {preloads started, preloads used}
   * @param shadowPredicted predictions of suspended rules judged in the shadow (never started)
   * @param shadowRight shadow predictions that came true (the session made that call)
   */
  public record Result(
      long calls,
      long preloadableCalls,
      long cacheHitsWithout,
      long preloadsStarted,
      long preloadHits,
      long preloadsWasted,
      long waitWithoutNanos,
      long waitWithNanos,
      long skippedBudget,
      long skippedInFlight,
      long skippedSuspended,
      List<String> suspendedRules,
      Map<String, long[]> byRule,
      long shadowPredicted,
      long shadowRight) {

    /** Copies the collections. */
    public Result {
      suspendedRules = List.copyOf(suspendedRules);
      byRule = Map.copyOf(byRule);
    }

    /** Preload hits per real call (of any tool). */
    public double hitRate() {
      return calls == 0 ? 0 : (double) preloadHits / calls;
    }

    /** Share of the tool waiting (cache alone) that preloading saved: 1 - with / without. */
    public double waitSavedShare() {
      return waitWithoutNanos == 0 ? 0 : 1 - (double) waitWithNanos / waitWithoutNanos;
    }

    /** Share of the preloads started that no real call used. */
    public double wastedShare() {
      return preloadsStarted == 0 ? 0 : (double) preloadsWasted / preloadsStarted;
    }
  }

  private PreloadReplay() {}

  /**
   * Replays the sessions.
   *
   * @param sessions the recorded sessions, calls in order
   * @param options the preloading options (model, budget, limits)
   * @param preloadable whether a tool may be cached and preloaded (idempotent and cacheable)
   * @param latency how long a call of a tool with these arguments takes; must be deterministic
   */
  public static Result replay(
      List<? extends List<Step>> sessions,
      Preloading options,
      Predicate<String> preloadable,
      BiFunction<String, JsonNode, Duration> latency) {
    return replay(sessions, options, preloadable, latency, Integer.MAX_VALUE, seen -> null);
  }

  /**
   * Replays the sessions prequentially (test, then train), as a cache whose model is relearnt while
   * it runs: before session {@code j} with {@code j} a positive multiple of {@code every}, the
   * model is replaced by {@code relearn} applied to the calls of sessions {@code 0..j-1} (replayed
   * already); so no session is ever predicted by a model that learnt from it. The planner's budgets
   * and the live ledgers of its rules carry over a relearning (a rule is the same rule whatever its
   * learnt probability).
   *
   * @param every how many sessions between relearnings; {@link Integer#MAX_VALUE} never relearns
   * @param relearn the new model from the sessions replayed so far (typically learnt from them and
   *     the history the first model learnt from); {@code null} keeps the current model
   * @throws IllegalArgumentException if {@code every} is not positive
   */
  public static Result replay(
      List<? extends List<Step>> sessions,
      Preloading options,
      Predicate<String> preloadable,
      BiFunction<String, JsonNode, Duration> latency,
      int every,
      Function<List<List<ObservedCall>>, @Nullable PreloadModel> relearn) {
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(preloadable, "preloadable");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(relearn, "relearn");
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1, was " + every);
    }
    long[] totals = new long[10];
    Map<String, long[]> byRule = new java.util.TreeMap<>();
    PreloadPlanner planner = new PreloadPlanner(options);
    List<List<ObservedCall>> seen = new ArrayList<>();
    for (List<Step> session : sessions) {
      if (!seen.isEmpty() && seen.size() % every == 0) {
        PreloadModel model = relearn.apply(List.copyOf(seen));
        if (model != null) {
          planner.model(model);
        }
      }
      play(session, null, preloadable, latency, totals, byRule);
      play(session, planner, preloadable, latency, totals, byRule);
      seen.add(session.stream().map(Step::call).toList());
    }
    return new Result(
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4],
        totals[5],
        totals[6],
        totals[7],
        planner.skippedBudget(),
        planner.skippedInFlight(),
        planner.skippedSuspended(),
        planner.suspendedRules(),
        byRule,
        planner.shadowPredicted(),
        planner.shadowRight());
  }

  private static final class Entry {
    final long readyAt;
    final @Nullable PredictedCall preload;
    boolean used;

    Entry(long readyAt, @Nullable PredictedCall preload) {
      this.readyAt = readyAt;
      this.preload = preload;
    }

    boolean preloaded() {
      return preload != null;
    }
  }

  private static void play(
      List<Step> session,
      @Nullable PreloadPlanner planner,
      Predicate<String> preloadable,
      BiFunction<String, JsonNode, Duration> latency,
      long[] totals,
      Map<String, long[]> byRule) {
    boolean preloading = planner != null;
    Map<String, Entry> cache = new HashMap<>();
    long now = 0;
    long waited = 0;
    for (Step step : session) {
      ObservedCall call = step.call();
      now += step.gapBefore().toNanos();
      boolean cacheable = preloadable.test(call.tool());
      String key = PreloadTemplate.key(call.tool(), call.arguments());
      Entry entry = cacheable && key != null ? cache.get(key) : null;
      long wait;
      if (entry != null) {
        wait = Math.max(0, entry.readyAt - now);
        if (!preloading) {
          totals[2]++;
        } else if (entry.preload != null && !entry.used) {
          entry.used = true;
          totals[4]++;
          byRule.computeIfAbsent(PreloadPlanner.ruleOf(entry.preload), r -> new long[2])[1]++;
          planner.used(entry.preload);
        }
      } else {
        wait = latency.apply(call.tool(), call.arguments()).toNanos();
        if (cacheable && key != null) {
          cache.put(key, new Entry(now + wait, null));
        }
      }
      now += wait;
      waited += wait;
      if (!preloading) {
        totals[0]++;
        totals[1] += cacheable ? 1 : 0;
        continue;
      }
      final long at = now;
      int inFlight =
          (int) cache.values().stream().filter(e -> e.preloaded() && e.readyAt > at).count();
      List<PredictedCall> start =
          planner.afterCall(
              call,
              inFlight,
              p -> {
                String k = PreloadTemplate.key(p.tool(), p.arguments());
                return preloadable.test(p.tool()) && k != null && !cache.containsKey(k);
              });
      for (PredictedCall p : start) {
        String k = PreloadTemplate.key(p.tool(), p.arguments());
        cache.put(k, new Entry(now + latency.apply(p.tool(), p.arguments()).toNanos(), p));
        totals[3]++;
        byRule.computeIfAbsent(PreloadPlanner.ruleOf(p), r -> new long[2])[0]++;
      }
    }
    if (preloading) {
      totals[5] += cache.values().stream().filter(e -> e.preloaded() && !e.used).count();
      totals[7] += waited;
      planner.endSession();
    } else {
      totals[6] += waited;
    }
  }
}
